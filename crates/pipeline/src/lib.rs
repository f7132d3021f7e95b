//! The one path from a file to a checked report, used by `nianbao extract` and `check`, by
//! ingest (which then stores what it gives) and by the web: read the file into the document
//! model, place its cells by the template (the solver of `nianbao-extract`), run every check.
//! Nothing here knows of a store.

/// A read document's report and findings: extraction with the reader's page places and
/// confidences, then every check — the one path from a reader's text to a checked report,
/// used by the CLI's `extract`/`check`, ingest and the web.
pub fn analyse(
    source: &nianbao_read::Source,
    name: &str,
) -> (nianbao_model::Report, Vec<nianbao_model::Finding>) {
    let mut report =
        nianbao_extract::extract_document(&source.text, &source.grids, &|o| source.place_at(o));
    report.scale_confidence_at(|offset| source.confidence_at(offset));
    report.locate(|offset| source.place_at(offset));
    report.file = Some(name.to_string());
    if source.confidence < 1.0 {
        respell_agency(&mut report, &source.text);
    }
    let findings = nianbao_check::findings(&report);
    (report, findings)
}

/// A recognised agency name whose place names are misread (`平漂` for `平潭`) is spelled as
/// the division table spells them, with a doubt that shows what the page was read as: the
/// report then joins its agency's series and campaigns instead of founding a new agency.
fn respell_agency(report: &mut nianbao_model::Report, text: &str) {
    let Some(printed) = report.agency.clone() else {
        return;
    };
    let Some((name, fixes)) = nianbao_division::respell(&printed, text) else {
        return;
    };
    for fix in &fixes {
        if let Some(title) = &mut report.title {
            *title = title.replacen(&fix.printed, fix.name, 1);
        }
        report.doubts.push(nianbao_model::Finding::new(
            nianbao_model::Rule::ExtractAgencyRespelled,
            nianbao_model::Severity::Warning,
            format!(
                "机构名称识别为“{printed}”，其中“{}”不是行政区划名称，已按全国行政区划读作“{}”，请对照原件核实",
                fix.printed, fix.name
            ),
            format!(
                "the agency was recognised as {printed:?}; {:?} is no division and was read as {:?} (the division table); check against the page",
                fix.printed, fix.name
            ),
            Vec::new(),
        ));
    }
    report.agency = Some(name);
}

/// Why a file's bytes give no report.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The file cannot be read (format, encoding, damage); the reader says why.
    #[error(transparent)]
    Read(#[from] nianbao_read::ReadError),
    #[error("未找到年度报告的章节或统计表 (no sections or tables of an annual report found)")]
    NotAReport,
}

/// Reads `bytes` (the file named `name`) and analyses it: the document read, its report and
/// findings; refused when it holds no section or table of an annual report.
pub fn read(
    name: &str,
    bytes: &[u8],
) -> Result<
    (
        nianbao_read::Source,
        nianbao_model::Report,
        Vec<nianbao_model::Finding>,
    ),
    ParseError,
> {
    let source = nianbao_read::read_bytes(bytes)?;
    let (report, findings) = analyse(&source, name);
    if report.tables.is_empty() && report.sections.is_empty() {
        return Err(ParseError::NotAReport);
    }
    Ok((source, report, findings))
}
