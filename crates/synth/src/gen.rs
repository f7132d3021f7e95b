//! Random reports whose tables satisfy every template identity.

use nianbao_model::{keys_for, Num, Report, Statistics, Template, COLUMNS};
use rand::Rng;

const PLACES: &[&str] = &[
    "北冷乡",
    "西店镇",
    "城关镇",
    "河口镇",
    "洧川镇",
    "金井片区管理局",
    "海坛街道办事处",
];
const COUNTIES: &[&str] = &["尉氏县", "南召县", "寻甸县", "宁海县", "平潭综合实验区"];
const BODIES: &[&str] = &[
    "人民政府",
    "",
    "交通与建设局",
    "市场监督管理局",
    "自然资源局",
];

fn small(rng: &mut impl Rng, zero_share: f64, max: i64) -> i64 {
    if rng.gen_bool(zero_share) {
        0
    } else {
        rng.gen_range(1..=max)
    }
}

/// A random report of a template, every identity holding, a few cells blank.
pub fn report(rng: &mut impl Rng, template: Template) -> Report {
    let mut r = Report::new(template);
    let county = COUNTIES[rng.gen_range(0..COUNTIES.len())];
    let place = PLACES[rng.gen_range(0..PLACES.len())];
    let body = BODIES[rng.gen_range(0..BODIES.len())];
    r.agency = Some(if body.is_empty() || !body.ends_with("政府") {
        if body.is_empty() {
            place.to_string()
        } else {
            format!("{county}{body}")
        }
    } else {
        format!("{county}{place}{body}")
    });
    r.year = Some(match template {
        Template::Legacy => rng.gen_range(2014..=2018),
        Template::Y2019 => rng.gen_range(2019..=2020),
        Template::Y2021 => rng.gen_range(2021..=2025),
        t => {
            let first = t.def().first_year.max(2000);
            rng.gen_range(first..=first + 4)
        }
    });
    match template.statistics() {
        Some(stats) => statistics(rng, &mut r, stats),
        None => {
            t2(rng, &mut r);
            t3(rng, &mut r);
            t4(rng, &mut r);
        }
    }
    r
}

fn t2(rng: &mut impl Rng, r: &mut Report) {
    let blank_row = rng.gen_bool(0.15).then(|| rng.gen_range(0..3));
    for (i, key) in keys_for(r.template)
        .iter()
        .filter(|k| k.starts_with("t2."))
        .enumerate()
    {
        let v = if blank_row == Some(i / 3) && i < 6 {
            None
        } else if key.ends_with("amount_wan") {
            Some(money(rng, r.template))
        } else if key.ends_with(".delta") {
            Some(Num::Int(if rng.gen_bool(0.5) {
                0
            } else {
                rng.gen_range(-30..=30)
            }))
        } else {
            {
                let max = if rng.gen_bool(0.1) { 30_000 } else { 120 };
                Some(Num::Int(small(rng, 0.4, max)))
            }
        };
        r.set(key, v);
    }
}

/// 万元 with the precision reports use: 2019 amounts come from 元 with fen; 2021 fees
/// are written in 万元 with up to six decimals.
fn money(rng: &mut impl Rng, t: Template) -> Num {
    if rng.gen_bool(0.3) {
        return Num::Int(0);
    }
    let micro: i64 = if t == Template::Y2019 {
        rng.gen_range(1..=900_000_000) * 100
    } else {
        rng.gen_range(1..=90_000_000_000)
    };
    let v = micro as f64 / 1e6;
    if v.fract() == 0.0 {
        Num::Int(v as i64)
    } else {
        Num::Dec(v)
    }
}

fn t3(rng: &mut impl Rng, r: &mut Report) {
    let rows: Vec<String> = keys_for(r.template)
        .iter()
        .filter(|k| k.starts_with("t3.") && k.ends_with(".total"))
        .map(|k| k.trim_end_matches(".total").to_string())
        .collect();
    let outcomes: Vec<&String> = rows
        .iter()
        .filter(|r| {
            !matches!(
                r.as_str(),
                "t3.received" | "t3.carried_in" | "t3.processed" | "t3.carried_over"
            )
        })
        .collect();
    let busy = rng.gen_bool(0.7);
    let mut grid: std::collections::BTreeMap<String, [i64; 6]> =
        rows.iter().map(|r| (r.clone(), [0; 6])).collect();
    for c in 0..6 {
        let max = if c == 0 { 60 } else { 6 };
        let received = if busy {
            small(rng, if c == 0 { 0.2 } else { 0.75 }, max)
        } else {
            0
        };
        let carried_in = small(rng, 0.8, 3);
        let open = received + carried_in;
        let carried_over = if open > 0 && rng.gen_bool(0.3) {
            rng.gen_range(0..=open.min(4))
        } else {
            0
        };
        let mut left = open - carried_over;
        grid.get_mut("t3.received").unwrap()[c] = received;
        grid.get_mut("t3.carried_in").unwrap()[c] = carried_in;
        grid.get_mut("t3.carried_over").unwrap()[c] = carried_over;
        grid.get_mut("t3.processed").unwrap()[c] = left;
        while left > 0 {
            let row = outcomes[if rng.gen_bool(0.5) {
                0
            } else {
                rng.gen_range(0..outcomes.len())
            }];
            let n = rng.gen_range(1..=left);
            grid.get_mut(row.as_str()).unwrap()[c] += n;
            left -= n;
        }
    }
    for (row, vals) in grid {
        for (c, v) in vals.iter().enumerate() {
            r.set(&format!("{row}.{}", COLUMNS[c]), Some(Num::Int(*v)));
        }
        r.set(&format!("{row}.total"), Some(Num::Int(vals.iter().sum())));
    }
}

fn t4(rng: &mut impl Rng, r: &mut Report) {
    for g in ["review", "suit_direct", "suit_after_review"] {
        let mut sum = 0;
        for p in ["upheld", "corrected", "other", "pending"] {
            let v = small(rng, 0.7, 12);
            sum += v;
            r.set(&format!("t4.{g}.{p}"), Some(Num::Int(v)));
        }
        r.set(&format!("t4.{g}.total"), Some(Num::Int(sum)));
    }
}

fn statistics(rng: &mut impl Rng, r: &mut Report, stats: &Statistics) {
    for key in keys_for(r.template) {
        let v = if key.ends_with("_wan") {
            if rng.gen_bool(0.5) {
                Num::Int(0)
            } else {
                Num::Dec(rng.gen_range(1..=99_999) as f64 / 100.0)
            }
        } else {
            Num::Int(small(rng, 0.5, 300))
        };
        r.set(key, Some(v));
    }
    // Totals of the statistics table are the sums of their items.
    for sum in stats.sums {
        let total: i64 = sum.parts.iter().filter_map(|p| r.int(p)).sum();
        r.set(sum.total, Some(Num::Int(total)));
    }
}
