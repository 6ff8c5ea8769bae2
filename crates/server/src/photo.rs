//! A profile's photo uploaded to this server: checked to be the image it declares, cut to its
//! centre square, made a 256×256 PNG, kept in the database and served at a URL anyone may open
//! (its 256-bit id is the secret, as a mailed link's token is). A replaced or removed photo
//! goes once nothing shows it any more (`store::photos::prune`).
//!
//! Decoding is where an upload could hurt the server, so it is bounded three ways: the body
//! (`PhotoType::MAX_BYTES`, at the edge), the pixels (`Limits`: the header's size is checked
//! before any pixel is decoded, so a small file declaring a huge image costs nothing), and
//! the work at once (`DECODING`, each off the async threads).

use crate::error::{AppResult, Context};
use crate::session::Caller;
use crate::state::AppState;
use crate::store::photos::{self, NewPhoto};
use crate::store::{employees, profiles};
use crate::{tokens, views};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use lanyard_core::api::Profile;
use lanyard_core::values::PhotoType;
use lanyard_core::{Error, Text};
use secrecy::ExposeSecret;
use std::io::Cursor;
use tokio::sync::Semaphore;
use tracing::instrument;

/// The side of the square every photo is made into, in pixels.
pub const SIDE: u32 = 256;

/// The widest or tallest image decoded (a panorama passes, a declared 100 000 × 100 000 does not).
const MAX_SIDE: u32 = 8192;

/// What decoding one image may allocate: 4096 × 4096 pixels of the widest kind (16-bit RGBA).
const MAX_ALLOC: u64 = 128 * 1024 * 1024;

/// The side of a square image that fits `MAX_ALLOC` whatever its kind: what a refusal advises.
const ALWAYS_FITS: u32 = 4096;

/// How many uploads are decoded at once in this process: each may take `MAX_ALLOC` and a core
/// for a while; more wait their turn.
static DECODING: Semaphore = Semaphore::const_new(2);

/// Makes `upload` (declared `declared`) the profile's photo, and with `apply_to_accounts` the
/// photo of each of its employee records too (as `PATCH /me` copies the profile onto them).
#[instrument(skip_all)]
pub async fn upload(
    state: &AppState,
    caller: &Caller,
    declared: PhotoType,
    upload: impl AsRef<[u8]> + Send + 'static,
    apply_to_accounts: bool,
) -> AppResult<Profile> {
    state
        .limits
        .photo_per_profile
        .check(&caller.profile_id)
        .await?;
    let png = {
        let _turn = DECODING
            .acquire()
            .await
            .context("waiting to decode a photo")?;
        tokio::task::spawn_blocking(move || square_png(declared, upload.as_ref()))
            .await
            .context("making a photo")??
    };
    let id = tokens::random();
    let id = id.expose_secret();
    // Kept as a path: `views::photo_url` answers it under the public URL of the moment.
    let path = format!("/{}{id}", photos::PATH);
    let profile_id = caller.profile_id.as_str();
    let photo = NewPhoto {
        id,
        profile_id,
        content_type: "image/png",
        bytes: &png,
        now: state.clock.now(),
    };
    // One transaction: a photo replaced at the same moment by another upload is neither shown
    // nor pruned before this one is, whichever commits first.
    let mut tx = state.db.pool.begin().await?;
    photos::insert(&mut *tx, &photo).await?;
    photos::set_profile_photo(&mut *tx, profile_id, Some(&path)).await?;
    if apply_to_accounts {
        employees::copy_profile(&mut *tx, profile_id).await?;
    }
    photos::prune(&mut *tx, profile_id).await?;
    tx.commit().await?;
    profile(state, profile_id).await
}

/// The profile has no photo any more; an uploaded one goes unless an employee record shows it.
#[instrument(skip_all)]
pub async fn remove(state: &AppState, caller: &Caller) -> AppResult<Profile> {
    let profile_id = caller.profile_id.as_str();
    photos::set_profile_photo(&state.db.pool, profile_id, None).await?;
    photos::prune(&state.db.pool, profile_id).await?;
    profile(state, profile_id).await
}

/// A stored photo: its content type and bytes.
#[instrument(skip_all)]
pub async fn served(state: &AppState, id: &str) -> AppResult<(String, Vec<u8>)> {
    Ok(photos::by_id(&state.db, id).await?.ok_or(Error::NotFound)?)
}

async fn profile(state: &AppState, profile_id: &str) -> AppResult<Profile> {
    let row = profiles::by_id(&state.db, profile_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    views::profile(state, row).await
}

/// The upload's centre square as a `SIDE` × `SIDE` PNG, if the upload is the image it
/// declares and no larger than the limits.
fn square_png(declared: PhotoType, upload: &[u8]) -> AppResult<Vec<u8>> {
    let format = match declared {
        PhotoType::Png => ImageFormat::Png,
        PhotoType::Jpeg => ImageFormat::Jpeg,
        PhotoType::Webp => ImageFormat::WebP,
    };
    // The bytes' own signature, not the header's word, picks the decoder: a file of another
    // format is refused before any decoder sees it.
    if image::guess_format(upload).ok() != Some(format) {
        let text = Text::new("invalid-photo-mismatch").with("format", declared.name());
        return Err(Error::InvalidPhoto(text).into());
    }
    let image = decode(format, upload).map_err(refusal)?;
    let side = image.width().min(image.height());
    let square = image.crop_imm(
        (image.width() - side) / 2,
        (image.height() - side) / 2,
        side,
        side,
    );
    // Catmull-Rom: as sharp as Lanczos3 at this size, with fewer taps per pixel.
    let photo = square.resize_exact(SIDE, SIDE, FilterType::CatmullRom);
    let photo = if photo.color().has_alpha() {
        DynamicImage::ImageRgba8(photo.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(photo.to_rgb8())
    };
    let mut png = Vec::new();
    photo
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .context("encoding a photo as PNG")?;
    Ok(png)
}

/// Decodes within the limits, turned upright as its EXIF orientation says (phones store
/// photos sideways and say so there).
fn decode(format: ImageFormat, upload: &[u8]) -> Result<DynamicImage, ImageError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    reader.limits(limits.clone());
    // Reads the header only, and refuses a side over MAX_SIDE there.
    let mut decoder = reader.into_decoder()?;
    // Refuses pixels that would not fit MAX_ALLOC before their buffer is allocated.
    limits.reserve(decoder.total_bytes())?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// What a person is told about an image that could not be decoded.
fn refusal(error: ImageError) -> Error {
    let text = match error {
        ImageError::Limits(_) => {
            Text::new("invalid-photo-too-many-pixels").with("side", u64::from(ALWAYS_FITS))
        }
        _ => Text::new("invalid-photo-unreadable"),
    };
    Error::InvalidPhoto(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn png_of(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    fn refused_with(result: AppResult<Vec<u8>>) -> &'static str {
        match result {
            Err(crate::error::AppError::Domain(Error::InvalidPhoto(text))) => text.id(),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_centre_square_is_kept_and_the_sides_cut_off() {
        // Red left and right thirds, green centre: only green is left.
        let wide = RgbImage::from_fn(600, 200, |x, _| {
            if (200..400).contains(&x) {
                Rgb([0, 255, 0])
            } else {
                Rgb([255, 0, 0])
            }
        });
        let png = square_png(PhotoType::Png, &png_of(wide.into())).unwrap();
        let photo = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap();
        assert_eq!((photo.width(), photo.height()), (SIDE, SIDE));
        assert!(!photo.color().has_alpha());
        let photo = photo.to_rgb8();
        for x in [0, SIDE / 2, SIDE - 1] {
            assert_eq!(photo.get_pixel(x, SIDE / 2), &Rgb([0, 255, 0]), "at {x}");
        }
    }

    #[test]
    fn transparency_is_kept() {
        let clear = RgbaImage::from_pixel(300, 300, Rgba([0, 0, 0, 0]));
        let png = square_png(PhotoType::Png, &png_of(clear.into())).unwrap();
        let photo = image::load_from_memory(&png).unwrap();
        assert!(photo.color().has_alpha());
        assert_eq!(photo.to_rgba8().get_pixel(10, 10)[3], 0);
    }

    #[test]
    fn bytes_of_another_format_or_none_are_refused_before_decoding() {
        let png = png_of(RgbImage::new(10, 10).into());
        let refused = |declared, bytes: &[u8]| refused_with(square_png(declared, bytes));
        assert_eq!(refused(PhotoType::Jpeg, &png), "invalid-photo-mismatch");
        assert_eq!(refused(PhotoType::Webp, &png), "invalid-photo-mismatch");
        assert_eq!(refused(PhotoType::Png, b"hello"), "invalid-photo-mismatch");
        assert_eq!(
            refused(PhotoType::Png, &png[..40]),
            "invalid-photo-unreadable"
        );
    }

    #[test]
    fn a_huge_declared_size_is_refused_from_the_header() {
        // A side over MAX_SIDE; then sides within it whose RGBA pixels (256 MiB) are over
        // MAX_ALLOC. Neither is decoded: the file holds one pixel.
        let mut png = png_of(RgbaImage::new(1, 1).into());
        set_png_size(&mut png, MAX_SIDE + 1, 1);
        assert_eq!(
            refused_with(square_png(PhotoType::Png, &png)),
            "invalid-photo-too-many-pixels"
        );
        set_png_size(&mut png, MAX_SIDE, MAX_SIDE);
        assert_eq!(
            refused_with(square_png(PhotoType::Png, &png)),
            "invalid-photo-too-many-pixels"
        );
    }

    /// Rewrites a PNG's IHDR width and height (and its CRC).
    fn set_png_size(png: &mut [u8], width: u32, height: u32) {
        png[16..20].copy_from_slice(&width.to_be_bytes());
        png[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
    }
}
