//! Which template a report follows, from its table content, with the year as a prior.

use crate::compact::Compact;
use nianbao_model::Template;

/// Which template a report follows. The official formats are told apart by the marks of
/// each (words only its tables print) with the year as a prior; a registered format wins
/// when at least two of its marks (all, if it has fewer) are in the text and more of them
/// than of any official format's.
pub fn template(c: &Compact, year: Option<i32>) -> Template {
    let count = |t: Template| t.def().marks.iter().filter(|m| c.contains(m)).count();
    let (s19, s21, sl) = (
        count(Template::Y2019),
        count(Template::Y2021),
        count(Template::Legacy),
    );
    let official = s19.max(s21).max(sl);
    let registered = Template::registered()
        .map(|t| (count(t), t))
        .filter(|&(n, t)| n >= t.def().marks.len().min(2) && n > official)
        .max_by_key(|&(n, _)| n);
    if let Some((_, t)) = registered {
        return t;
    }
    let new_form = c.contains("本年新收政府信息公开申请");
    if sl >= 2 && !new_form && s19 + s21 <= 1 {
        return Template::Legacy;
    }
    let prior = year.map(Template::for_year);
    match s19.cmp(&s21) {
        std::cmp::Ordering::Greater => Template::Y2019,
        std::cmp::Ordering::Less => Template::Y2021,
        std::cmp::Ordering::Equal => match prior {
            Some(Template::Legacy) if new_form => Template::Y2019,
            Some(t) => t,
            None if sl >= 2 && !new_form => Template::Legacy,
            None => Template::Y2021,
        },
    }
}
