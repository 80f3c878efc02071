//! The web app inside the binary: a copy of the binary alone, in an empty folder, serves the
//! map with no `--web`; `--web DIR` still serves a folder instead.

use crate::support::{Server, binary, header};

#[test]
fn a_copied_binary_alone_serves_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir
        .path()
        .join(format!("citygrid{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(binary(), &copy).unwrap();
    // Nothing beside it but the database the demo creates in the working folder.
    let server = Server::start(&copy, Some(dir.path()), &["demo", "--addr", "127.0.0.1:0"]);
    assert!(dir.path().join("citygrid.gpkg").exists());

    let (status, headers, page) = server.try_send("GET", "/", "", &[], None).unwrap();
    let page = String::from_utf8_lossy(&page);
    assert_eq!(
        status, 200,
        "the binary carries no web app: build it with `cargo xtask web` before the binary (`cargo xtask test` does)"
    );
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(
        page.contains("/map.js") && page.contains("/maplibre/maplibre-gl.css"),
        "{page}"
    );

    let (status, headers, wasm) = server
        .try_send("GET", "/pkg/citygrid_web_bg.wasm", "", &[], None)
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    assert!(
        wasm.starts_with(b"\0asm") && wasm.len() > 100_000,
        "{} bytes",
        wasm.len()
    );
    // A browser that accepts gzip gets the bundle gzipped, far smaller.
    let (status, headers, gzipped) = server
        .try_send(
            "GET",
            "/pkg/citygrid_web_bg.wasm",
            "",
            &[("accept-encoding", "gzip")],
            None,
        )
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert!(
        gzipped.starts_with(&[0x1f, 0x8b]) && gzipped.len() < wasm.len() / 2,
        "{} of {} bytes",
        gzipped.len(),
        wasm.len()
    );

    // The glue and MapLibre as modules; an unchanged file is revalidated for nothing.
    for path in [
        "/pkg/citygrid_web.js",
        "/map.js",
        "/maplibre/maplibre-gl.mjs",
    ] {
        let (status, headers, _) = server.try_send("GET", path, "", &[], None).unwrap();
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&headers, "content-type").contains("javascript"),
            "{path}"
        );
        let tag = header(&headers, "etag");
        let (status, _, body) = server
            .try_send("GET", path, "", &[("if-none-match", &tag)], None)
            .unwrap();
        assert_eq!((status, body.len()), (304, 0), "{path}");
    }
    // A view of the app (a path the app routes itself) is the app's page; the API is not.
    let (status, _, again) = server.try_send("GET", "/dispatch", "", &[], None).unwrap();
    assert_eq!(
        (status, String::from_utf8_lossy(&again)),
        (200, page.clone())
    );
    let (status, headers, _) = server
        .try_send("GET", "/api/v1/nothing", "", &[], None)
        .unwrap();
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "content-type"), "application/problem+json");
}

#[test]
fn a_web_folder_replaces_the_web_app_inside() {
    let dir = tempfile::tempdir().unwrap();
    let web = dir.path().join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(
        web.join("index.html"),
        "<!doctype html><title>development build</title>",
    )
    .unwrap();
    let db = dir.path().join("demo.gpkg");
    let server = Server::demo_with(&db, &["--web", web.to_str().unwrap()]);
    let (status, _, page) = server.request("GET", "/", None);
    assert_eq!(status, 200);
    assert!(page.contains("development build"), "{page}");
}
