//! Image-only PDFs, as scanners make them, from page images: test material for OCR.
//!
//! Each PNG (8-bit grey or RGB, not interlaced, as `pdftoppm -png` writes) is embedded
//! as-is: its zlib data becomes a FlateDecode image with the PNG predictor, so no pixel is
//! decoded or changed.

/// One PNG's size, colour channels and compressed data.
struct Png {
    width: u32,
    height: u32,
    colors: u8,
    data: Vec<u8>,
}

fn png(bytes: &[u8]) -> Result<Png, String> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("not a PNG".into());
    }
    let mut i = 8;
    let mut head = None;
    let mut data = Vec::new();
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let kind = &bytes[i + 4..i + 8];
        let body = bytes.get(i + 8..i + 8 + len).ok_or("truncated PNG")?;
        match kind {
            b"IHDR" => {
                let (depth, color, interlace) = (body[8], body[9], body[12]);
                let colors = match color {
                    0 => 1,
                    2 => 3,
                    _ => return Err(format!("PNG colour type {color} not supported")),
                };
                if depth != 8 || interlace != 0 {
                    return Err("only 8-bit, non-interlaced PNGs".into());
                }
                let w = u32::from_be_bytes(body[0..4].try_into().unwrap());
                let h = u32::from_be_bytes(body[4..8].try_into().unwrap());
                head = Some((w, h, colors));
            }
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        i += 12 + len;
    }
    let (width, height, colors) = head.ok_or("PNG without IHDR")?;
    Ok(Png {
        width,
        height,
        colors,
        data,
    })
}

/// A PDF with one page per image, each page the image at `dpi`, and no text at all.
pub fn image_pdf(pages: &[Vec<u8>], dpi: f64) -> Result<Vec<u8>, String> {
    let images: Vec<Png> = pages.iter().map(|p| png(p)).collect::<Result<_, _>>()?;
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let n = images.len();
    // Objects: 1 catalog, 2 page tree, then per page: page, content, image.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
    ];
    for (i, img) in images.iter().enumerate() {
        let (w, h) = (
            img.width as f64 * 72.0 / dpi,
            img.height as f64 * 72.0 / dpi,
        );
        let (content, image) = (4 + 3 * i, 5 + 3 * i);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>"
            )
            .into_bytes(),
        );
        let draw = format!("q {w:.2} 0 0 {h:.2} 0 0 cm /Im0 Do Q");
        objects
            .push(format!("<< /Length {} >>\nstream\n{draw}\nendstream", draw.len()).into_bytes());
        let space = if img.colors == 1 {
            "/DeviceGray"
        } else {
            "/DeviceRGB"
        };
        let mut obj = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} /BitsPerComponent 8 \
             /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors {} /BitsPerComponent 8 /Columns {} >> /Length {} >>\nstream\n",
            img.width, img.height, img.colors, img.width, img.data.len()
        )
        .into_bytes();
        obj.extend_from_slice(&img.data);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn refuses_what_it_cannot_embed() {
        assert!(super::image_pdf(&[b"GIF89a".to_vec()], 300.0).is_err());
        assert!(super::image_pdf(&[], 300.0)
            .unwrap()
            .starts_with(b"%PDF-1.4"));
    }
}
