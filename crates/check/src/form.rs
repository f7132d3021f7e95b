//! Form compliance: tables and sections present, template fits the year, published on time.

use nianbao_model::Rule;
use nianbao_model::{Date, Finding, Report, Severity, Template, SECTION_HEADINGS};

pub fn check(r: &Report, out: &mut Vec<Finding>) {
    tables(r, out);
    sections(r, out);
    template_year(r, out);
    deadline_check(r, out);
    sums(r, out);
}

fn tables(r: &Report, out: &mut Vec<Finding>) {
    let wanted: Vec<(&str, &str, &str, Severity, &str)> = match r.template.statistics() {
        Some(s) => vec![(s.table, s.title, "", s.missing, s.missing_note)],
        None => [
            ("二", "二、主动公开政府信息情况", "t2."),
            ("三", "三、收到和处理政府信息公开申请情况", "t3."),
            ("四", "四、行政复议、行政诉讼情况", "t4."),
        ]
        .map(|(n, t, p)| (n, t, p, Severity::Error, ""))
        .to_vec(),
    };
    for (name, title, prefix, severity, zh_note) in wanted {
        if r.has_table(name) {
            continue;
        }
        out.push(Finding::new(
            Rule::TableMissing,
            severity,
            format!("未找到{title}的统计表{zh_note}"),
            format!("the table of {title} was not found"),
            r.cells
                .keys()
                .filter(|k| k.starts_with(prefix))
                .map(str::to_string)
                .collect(),
        ));
    }
}

fn sections(r: &Report, out: &mut Vec<Finding>) {
    let Some(form) = r.template.sections() else {
        return;
    };
    let severity = form.missing_section;
    let missing: Vec<&str> = (1..=6u8)
        .filter(|n| !r.sections.iter().any(|s| s.number == *n))
        .map(|n| SECTION_HEADINGS[n as usize - 1])
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(Finding::new(
        Rule::SectionMissing,
        severity,
        format!("缺少法定章节标题：{}", missing.join("；")),
        format!("statutory section headings missing: {}", missing.join("; ")),
        Vec::new(),
    ));
}

fn template_year(r: &Report, out: &mut Vec<Finding>) {
    let Some(year) = r.year else { return };
    let due = Template::for_year(year);
    if due == r.template {
        return;
    }
    // Using a newer format than prescribed is odd; using an outdated one breaks the rules.
    let severity = if r.template < due {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.push(Finding::new(
        Rule::TemplateYear,
        severity,
        format!(
            "{year}年度报告应使用{}，实际为{}",
            due.name_zh(),
            r.template.name_zh()
        ),
        format!(
            "a report for {year} should use the {}, found the {}",
            due.name_en(),
            r.template.name_en()
        ),
        Vec::new(),
    ));
}

/// The statutory deadline for a report year: 31 March for reports before 2019 and for a
/// people's government's own report (county level and up); 31 January otherwise.
pub fn deadline(year: i32, agency: Option<&str>) -> Date {
    let own_government = agency.is_some_and(|a| {
        a.ends_with("人民政府")
            && !["乡", "镇", "街道"]
                .iter()
                .any(|t| a.trim_end_matches("人民政府").ends_with(t))
    });
    let march = year <= 2018 || own_government;
    Date {
        year: year + 1,
        month: if march { 3 } else { 1 },
        day: 31,
    }
}

fn deadline_check(r: &Report, out: &mut Vec<Finding>) {
    let (Some(year), Some(published)) = (r.year, r.published) else {
        return;
    };
    let due = deadline(year, r.agency.as_deref());
    if published > due {
        out.push(Finding::new(
            Rule::PublishLate,
            Severity::Warning,
            format!("发布日期 {published} 晚于法定期限 {due}"),
            format!("published {published}, after the statutory deadline {due}"),
            Vec::new(),
        ));
    }
}

/// The totals of a statistics table against their items.
fn sums(r: &Report, out: &mut Vec<Finding>) {
    let Some(stats) = r.template.statistics() else {
        return;
    };
    for sum in stats.sums {
        let Some(t) = r.int(sum.total) else { continue };
        let vals: Vec<Option<i64>> = sum.parts.iter().map(|k| r.int(k)).collect();
        if vals.iter().all(Option::is_none) {
            continue;
        }
        let s: i64 = vals.iter().flatten().sum();
        if s != t {
            let mut cells = vec![sum.total.to_string()];
            cells.extend(sum.parts.iter().map(|p| p.to_string()));
            let (table, name) = (stats.table, sum.name);
            out.push(Finding::new(
                stats.sum_rule,
                stats.sum_severity,
                format!("{table}“{name}”为 {t}，分项之和为 {s}"),
                format!("statistics table “{name}” is {t}, its items add up to {s}"),
                cells,
            ));
        }
    }
}
