//! Which template a report follows, from its table content, with the year as a prior.

use crate::compact::Compact;
use nianbao_model::Template;

const MARKS_2019: &[&str] = &[
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "采购项目数量",
    "政府集中采购",
    "其他对外管理服务事项",
];
const MARKS_2021: &[&str] = &[
    "制发件数",
    "废止件数",
    "有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "逾期不补正",
    "收费通知要求",
];
const MARKS_LEGACY: &[&str] = &[
    "统计指标",
    "指标名称",
    "主动公开政府信息数",
    "收到申请数",
    "申请答复数",
    "同意公开答复数",
    "申请办结数",
    "对申请的答复总数",
    "政府信息公开情况统计表",
];

pub fn template(c: &Compact, year: Option<i32>) -> Template {
    let count = |marks: &[&str]| marks.iter().filter(|m| c.contains(m)).count();
    let (s19, s21, sl) = (count(MARKS_2019), count(MARKS_2021), count(MARKS_LEGACY));
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
