//! Rasterising a chart's SVG to PNG with resvg (for the Word report, which takes bitmaps).
//!
//! Text needs a font. [`Fonts::system`] loads the machine's fonts (the one IO of this crate, done only
//! when the caller asks); [`Fonts::has_cjk`] tells whether a CJK family was found. Without one the PNG
//! still renders every shape and the Latin text, and the Chinese labels are missing: callers report
//! that (Debian: `apt-get install fonts-noto-cjk`).

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

/// CJK font families looked for, in order of preference.
pub const CJK_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Micro Hei",
    "Noto Sans SC",
];

/// The fonts available to the rasteriser.
#[derive(Clone)]
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    cjk: Option<String>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.db.len())
            .field("cjk", &self.cjk)
            .finish()
    }
}

impl Fonts {
    /// No fonts: shapes only.
    pub fn none() -> Fonts {
        Fonts {
            db: Arc::new(usvg::fontdb::Database::new()),
            cjk: None,
        }
    }

    /// The fonts installed on this machine (reads the system font directories).
    pub fn system() -> Fonts {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        Fonts::from_database(db)
    }

    /// Fonts from font files' bytes (for tests and for deployments that ship a font).
    pub fn from_data(fonts: Vec<Vec<u8>>) -> Fonts {
        let mut db = usvg::fontdb::Database::new();
        for data in fonts {
            db.load_font_data(data);
        }
        Fonts::from_database(db)
    }

    fn from_database(mut db: usvg::fontdb::Database) -> Fonts {
        let families: Vec<String> = db
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
            .collect();
        let cjk = CJK_FAMILIES
            .iter()
            .find(|wanted| families.iter().any(|name| name == *wanted))
            .map(|name| name.to_string());
        if let Some(name) = &cjk {
            // `sans-serif` in the SVG then resolves to the CJK family too.
            db.set_sans_serif_family(name.clone());
        }
        Fonts { db: Arc::new(db), cjk }
    }

    /// The CJK family found, if any.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk.as_deref()
    }

    pub fn has_cjk(&self) -> bool {
        self.cjk.is_some()
    }

    /// Number of font faces loaded.
    pub fn len(&self) -> usize {
        self.db.len()
    }

    pub fn is_empty(&self) -> bool {
        self.db.is_empty()
    }
}

/// Why an SVG could not be rasterised.
#[derive(Debug)]
pub enum PngError {
    Svg(String),
    Size { width: u32, height: u32 },
    Encode(String),
}

impl std::fmt::Display for PngError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PngError::Svg(message) => write!(f, "SVG 无法解析 (invalid SVG): {message}"),
            PngError::Size { width, height } => write!(f, "图像尺寸无效 (invalid image size) {width}×{height}"),
            PngError::Encode(message) => write!(f, "PNG 编码失败 (PNG encoding failed): {message}"),
        }
    }
}

impl std::error::Error for PngError {}

/// A rasterised image.
#[derive(Debug, Clone, PartialEq)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Rasterises an SVG at `scale` (2.0 gives a sharp image for print at the SVG's size).
pub fn svg_to_png(svg: &str, fonts: &Fonts, scale: f32) -> Result<Png, PngError> {
    let options = usvg::Options {
        fontdb: fonts.db.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| PngError::Svg(error.to_string()))?;
    let scale = if scale.is_finite() && scale > 0.0 {
        scale.min(8.0)
    } else {
        1.0
    };
    let size = tree.size();
    let width = (size.width() * scale).ceil() as u32;
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(PngError::Size { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap
        .encode_png()
        .map_err(|error| PngError::Encode(error.to_string()))?;
    Ok(Png { bytes, width, height })
}

impl crate::LineChart {
    /// The chart as PNG (see [`svg_to_png`]).
    pub fn to_png(&self, fonts: &Fonts, scale: f32) -> Result<Png, PngError> {
        svg_to_png(&self.to_svg(), fonts, scale)
    }
}
