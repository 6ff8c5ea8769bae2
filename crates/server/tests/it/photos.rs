//! Profile photos uploaded to the server: what is accepted (PNG, JPEG, WebP, at most 5 MB,
//! really the image it says), what it becomes (a 256×256 PNG served to anyone with the URL),
//! what a replaced or removed photo leaves behind, and what is refused, with nothing stored.

use crate::harness::{TestApp, assert_refused};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use lanyard_client::api::Profile;
use lanyard_client::{ApiError, PageRequest};
use lanyard_core::Language;
use secrecy::SecretString;
use std::io::Cursor;

/// A `width` × `height` picture: red, with a green square in the middle.
fn picture(width: u32, height: u32) -> DynamicImage {
    let side = width.min(height) / 2;
    let (left, top) = ((width - side) / 2, (height - side) / 2);
    let image = RgbImage::from_fn(width, height, |x, y| {
        let inside = (left..left + side).contains(&x) && (top..top + side).contains(&y);
        if inside {
            Rgb([0, 200, 0])
        } else {
            Rgb([200, 0, 0])
        }
    });
    DynamicImage::ImageRgb8(image)
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height), ImageFormat::Png)
}

async fn upload(
    app: &TestApp,
    access: &SecretString,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<Profile, ApiError> {
    app.client
        .upload_photo(access, bytes, content_type, false)
        .await
}

/// GETs a photo URL as anyone would, without a session.
async fn fetch(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

/// The photos the database holds.
async fn stored_photos(app: &TestApp) -> i64 {
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&app.database).await.unwrap();
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM photos")
        .fetch_one(&db)
        .await
        .unwrap();
    db.close().await;
    count
}

fn problem_of<T: std::fmt::Debug>(result: Result<T, ApiError>) -> lanyard_client::api::Problem {
    match result {
        Err(ApiError::Problem { problem, .. }) => *problem,
        other => panic!("expected a problem document, got {other:?}"),
    }
}

/// Rewrites a PNG's IHDR width and height, and the chunk's CRC, so the file stays valid.
fn declare_size(png: &mut [u8], width: u32, height: u32) {
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
}

#[tokio::test]
async fn an_uploaded_png_becomes_a_256_pixel_square_served_to_anyone() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;

    let profile = upload(&app, &anna.access_token, png(600, 400), "image/png")
        .await
        .unwrap();
    let url = profile.photo_url.clone().expect("a photo URL");
    assert!(
        url.starts_with(&format!("{}api/v1/photos/", app.url)),
        "an absolute URL of this server: {url}"
    );
    let id = url.rsplit('/').next().unwrap();
    assert!(id.len() >= 22, "at least 128 bits: {id}");
    assert_eq!(app.client.me(&anna.access_token).await.unwrap(), profile);

    let served = fetch(&url).await;
    assert_eq!(served.status(), 200);
    let headers = served.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let bytes = served.bytes().await.unwrap();
    let photo = image::load_from_memory_with_format(&bytes, ImageFormat::Png).unwrap();
    assert_eq!((photo.width(), photo.height()), (256, 256));
    // The centre square was kept: the green middle fills half of it, red is left at its edge.
    let photo = photo.to_rgb8();
    assert_eq!(photo.get_pixel(128, 128), &Rgb([0, 200, 0]));
    assert_eq!(photo.get_pixel(2, 128), &Rgb([200, 0, 0]));
    assert_eq!(stored_photos(&app).await, 1);
}

#[tokio::test]
async fn jpeg_and_webp_are_accepted_and_a_replaced_photo_goes() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let image = picture(300, 500);
    let jpeg = encoded(&image, ImageFormat::Jpeg);
    // The image crate writes lossless WebP; a lossy one is decoded all the same.
    let webp = encoded(&image, ImageFormat::WebP);

    let mut previous: Option<String> = None;
    for (bytes, content_type) in [(jpeg, "image/jpeg"), (webp, "image/webp")] {
        let profile = upload(&app, &anna.access_token, bytes, content_type)
            .await
            .unwrap_or_else(|e| panic!("{content_type}: {e:?}"));
        let url = profile.photo_url.unwrap();
        let served = fetch(&url).await;
        assert_eq!(served.headers()["content-type"], "image/png");
        let photo = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
        assert_eq!(
            (photo.width(), photo.height()),
            (256, 256),
            "{content_type}"
        );
        if let Some(previous) = previous.replace(url) {
            assert_eq!(
                fetch(&previous).await.status(),
                404,
                "a replaced photo nothing shows is deleted"
            );
        }
    }
    assert_eq!(stored_photos(&app).await, 1);
}

#[tokio::test]
async fn what_is_not_the_photo_it_says_is_refused_and_the_photo_stays() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let kept = upload(&app, &anna.access_token, png(50, 50), "image/png")
        .await
        .unwrap();
    // A 1 × 1 GIF: a real image, of a type a photo may not be.
    let gif = [
        &b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"[..],
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00",
        b"\x02\x02D\x01\x00;",
    ]
    .concat();
    let mut cut = png(50, 50);
    cut.truncate(60);

    let unsupported = (415, "unsupported_media_type");
    let invalid = (422, "invalid_photo");
    let refusals = [
        (
            b"hello".to_vec(),
            "text/plain",
            unsupported,
            "PNG, JPEG or WebP",
        ),
        (gif.clone(), "image/gif", unsupported, "PNG, JPEG or WebP"),
        (
            png(20, 20),
            "application/octet-stream",
            unsupported,
            "image/png",
        ),
        (png(20, 20), "image/jpeg", invalid, "not a JPEG image"),
        (gif, "image/png", invalid, "not a PNG image"),
        (
            b"<svg/>".to_vec(),
            "image/webp",
            invalid,
            "not a WebP image",
        ),
        (cut, "image/png", invalid, "could not be read"),
    ];
    for (bytes, content_type, (status, code), says) in refusals {
        let problem = problem_of(upload(&app, &anna.access_token, bytes, content_type).await);
        assert_eq!(
            (problem.status, problem.code.as_str()),
            (status, code),
            "{content_type}: {}",
            problem.detail
        );
        assert!(problem.detail.contains(says), "{}", problem.detail);
    }
    assert_eq!(app.client.me(&anna.access_token).await.unwrap(), kept);
    assert_eq!(fetch(&kept.photo_url.unwrap()).await.status(), 200);
    assert_eq!(stored_photos(&app).await, 1);
}

#[tokio::test]
async fn more_than_5_mb_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let mut big = png(10, 10);
    big.resize(5 * 1024 * 1024 + 1, 0);

    let problem = problem_of(upload(&app, &anna.access_token, big, "image/png").await);
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (413, "body_too_large")
    );
    assert_eq!(problem.detail, "A photo can be at most 5 MB.");
    assert_eq!(
        app.client.me(&anna.access_token).await.unwrap().photo_url,
        None
    );
    assert_eq!(stored_photos(&app).await, 0);

    // Exactly 5 MB is read whole (a PNG decoder stops at its end, whatever follows).
    let mut most = png(10, 10);
    most.resize(5 * 1024 * 1024, 0);
    let profile = upload(&app, &anna.access_token, most, "image/png")
        .await
        .unwrap();
    assert!(profile.photo_url.is_some());
    assert_eq!(stored_photos(&app).await, 1);
}

#[tokio::test]
async fn a_small_file_declaring_a_huge_image_is_refused_before_decoding() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    // 100 000 × 100 000 pixels would be 30 GB decoded; the file is 70 bytes. Then a size within
    // the sides allowed whose pixels (8192 × 8192 × 3 bytes) are still more than is decoded.
    for (width, height) in [(100_000, 100_000), (8192, 8192)] {
        let mut bomb = png(1, 1);
        declare_size(&mut bomb, width, height);
        let started = std::time::Instant::now();
        let problem = problem_of(upload(&app, &anna.access_token, bomb, "image/png").await);
        assert_eq!(
            (problem.status, problem.code.as_str()),
            (422, "invalid_photo")
        );
        assert_eq!(
            problem.detail,
            "The image is too large to process; scale it down to at most 4096 × 4096 pixels."
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
    assert_eq!(
        app.client.me(&anna.access_token).await.unwrap().photo_url,
        None
    );
    assert_eq!(stored_photos(&app).await, 0);
}

#[tokio::test]
async fn applied_to_accounts_the_photo_stays_on_the_records_after_the_profile_moves_on() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    app.client
        .create_account(&anna.access_token, "globex", "Globex")
        .await
        .unwrap();
    let records = |address: &'static str| {
        let app = &app;
        let access = anna.access_token.clone();
        async move {
            let page = app
                .client
                .employees(&access, address, None, PageRequest::default())
                .await
                .unwrap();
            page.items
                .into_iter()
                .map(|employee| employee.photo_url)
                .collect::<Vec<_>>()
        }
    };

    let applied = app
        .client
        .upload_photo(&anna.access_token, png(400, 400), "image/png", true)
        .await
        .unwrap()
        .photo_url;
    assert!(applied.is_some());
    assert_eq!(records("acme").await, vec![applied.clone()]);
    assert_eq!(records("globex").await, vec![applied.clone()]);

    // A new photo of the profile alone: the records keep theirs, which is still served.
    let own = upload(&app, &anna.access_token, png(300, 200), "image/png")
        .await
        .unwrap()
        .photo_url;
    assert_ne!(own, applied);
    assert_eq!(records("acme").await, vec![applied.clone()]);
    let applied = applied.unwrap();
    assert_eq!(fetch(&applied).await.status(), 200);

    // Removed from the profile, its own photo goes; the records' stays.
    let profile = app.client.delete_photo(&anna.access_token).await.unwrap();
    assert_eq!(profile.photo_url, None);
    assert_eq!(
        app.client.me(&anna.access_token).await.unwrap().photo_url,
        None
    );
    assert_eq!(fetch(&own.unwrap()).await.status(), 404);
    assert_eq!(fetch(&applied).await.status(), 200);
    assert_eq!(stored_photos(&app).await, 1);
}

#[tokio::test]
async fn a_removed_photo_is_gone() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let url = upload(&app, &anna.access_token, png(64, 64), "image/png")
        .await
        .unwrap()
        .photo_url
        .unwrap();

    let profile = app.client.delete_photo(&anna.access_token).await.unwrap();
    assert_eq!(profile.photo_url, None);
    let gone = fetch(&url).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(gone.headers()["content-type"], "application/problem+json");
    assert_eq!(stored_photos(&app).await, 0);
    // Removing no photo is no error.
    app.client.delete_photo(&anna.access_token).await.unwrap();
}

#[tokio::test]
async fn an_unknown_photo_is_not_found_and_changes_need_a_session() {
    let app = TestApp::spawn().await;
    let unknown = app.url.join("api/v1/photos/no-such-photo").unwrap();
    let response = fetch(unknown.as_str()).await;
    assert_eq!(response.status(), 404);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "not_found");

    let nobody = SecretString::from("not a token");
    assert_refused(
        upload(&app, &nobody, png(10, 10), "image/png").await,
        401,
        "unauthorized",
    );
    assert_refused(app.client.delete_photo(&nobody).await, 401, "unauthorized");
    let anonymous = reqwest::Client::new()
        .put(app.url.join("api/v1/me/photo").unwrap())
        .header("content-type", "image/png")
        .body(png(10, 10))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(stored_photos(&app).await, 0);
}

#[tokio::test]
async fn refusals_speak_russian_when_asked() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let russian = app.client.clone().speaking(Language::Ru);

    let wrong_type = problem_of(
        russian
            .upload_photo(&anna.access_token, b"hello".to_vec(), "text/plain", false)
            .await,
    );
    assert_eq!(wrong_type.code, "unsupported_media_type");
    assert_eq!(
        wrong_type.detail,
        "Фото должно быть изображением PNG, JPEG или WebP с Content-Type image/png, \
         image/jpeg или image/webp."
    );
    let mismatch = problem_of(
        russian
            .upload_photo(&anna.access_token, png(10, 10), "image/webp", false)
            .await,
    );
    assert_eq!(mismatch.code, "invalid_photo");
    assert_eq!(
        mismatch.detail,
        "Файл — не изображение WebP, хотя так сказано в его имени или типе."
    );
    let mut bomb = png(1, 1);
    declare_size(&mut bomb, 100_000, 100_000);
    let too_big = problem_of(
        russian
            .upload_photo(&anna.access_token, bomb, "image/png", false)
            .await,
    );
    assert!(
        too_big.detail.contains("до 4096 × 4096 пикселей"),
        "{}",
        too_big.detail
    );
}

#[tokio::test]
async fn the_photo_routes_are_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc = app.client.openapi().await.unwrap();
    let upload = &doc["paths"]["/api/v1/me/photo"]["put"];
    for content_type in ["image/png", "image/jpeg", "image/webp"] {
        assert!(
            upload["requestBody"]["content"][content_type].is_object(),
            "{content_type}: {}",
            upload["requestBody"]
        );
    }
    assert!(upload["requestBody"]["content"]["application/json"].is_null());
    for status in ["401", "413", "415", "422"] {
        assert!(
            upload["responses"][status]["content"]["application/problem+json"].is_object(),
            "{status}"
        );
    }
    let described = upload["responses"]["415"]["description"].as_str().unwrap();
    assert!(!described.contains("application/json"), "{described}");
    assert!(doc["paths"]["/api/v1/me/photo"]["delete"].is_object());
    let served = &doc["paths"]["/api/v1/photos/{id}"]["get"];
    assert!(served["responses"]["200"]["content"]["image/png"].is_object());
    assert!(served["security"].is_null(), "served without a session");
}

#[tokio::test]
async fn uploads_are_rate_limited_per_profile() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let small = png(32, 32);
    for _ in 0..10 {
        upload(&app, &anna.access_token, small.clone(), "image/png")
            .await
            .unwrap();
    }
    assert_refused(
        upload(&app, &anna.access_token, small.clone(), "image/png").await,
        429,
        "rate_limited",
    );
    // Another profile has its own budget.
    let boris = app.signed_in("boris@example.com").await;
    upload(&app, &boris.access_token, small, "image/png")
        .await
        .unwrap();
}
