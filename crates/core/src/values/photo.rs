//! What an uploaded profile photo may be: one of three image types, declared by its
//! `Content-Type`, of at most [`PhotoType::MAX_BYTES`]. Whether the bytes really are that
//! image is for the server to find out, by decoding them.

use crate::Error;

/// The type an upload declares; anything else is refused before its body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoType {
    Png,
    Jpeg,
    Webp,
}

impl PhotoType {
    /// The largest upload accepted: a phone's full-size photo fits, a decoder's worst case
    /// stays small.
    pub const MAX_BYTES: usize = 5 * 1024 * 1024;

    /// The type a `Content-Type` header names (parameters and case aside), or
    /// `UnsupportedPhotoType` when it names none of the three or is missing.
    pub fn from_content_type(header: Option<&str>) -> Result<PhotoType, Error> {
        let essence = header
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase());
        match essence.as_deref() {
            Some("image/png") => Ok(PhotoType::Png),
            Some("image/jpeg") => Ok(PhotoType::Jpeg),
            Some("image/webp") => Ok(PhotoType::Webp),
            _ => Err(Error::UnsupportedPhotoType),
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            PhotoType::Png => "image/png",
            PhotoType::Jpeg => "image/jpeg",
            PhotoType::Webp => "image/webp",
        }
    }

    /// The name people know the format by, for sentences about it.
    pub fn name(self) -> &'static str {
        match self {
            PhotoType::Png => "PNG",
            PhotoType::Jpeg => "JPEG",
            PhotoType::Webp => "WebP",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn the_three_image_types_are_read_from_content_type_whatever_the_case_and_parameters() {
        let read = PhotoType::from_content_type;
        assert_eq!(read(Some("image/png")).ok(), Some(PhotoType::Png));
        assert_eq!(read(Some("Image/JPEG; q=1")).ok(), Some(PhotoType::Jpeg));
        assert_eq!(read(Some(" image/webp ")).ok(), Some(PhotoType::Webp));
        for other in [
            Some("image/gif"),
            Some("text/plain"),
            Some("image/png2"),
            None,
        ] {
            let refused = read(other).unwrap_err();
            assert_eq!(
                (refused.code(), refused.status()),
                (Code::UnsupportedMediaType, 415)
            );
        }
    }
}
