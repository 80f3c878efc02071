//! The admin's layer files: import a base layer from GeoJSON, a zipped Shapefile or a
//! GeoPackage — previewed first (counts, coordinate system, encoding, the field mapping the
//! admin can change, extent, first errors), then imported all or nothing — and download a layer
//! for the bureau's GIS in its own system.

use citygrid_core::api::layers::{FeatureError, ImportReport, LayerPreview};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};
use crate::problem_text::problem_in;

const LAYERS: [&str; 8] = [
    "grids",
    "communities",
    "streets",
    "shops",
    "zones",
    "components",
    "sections",
    "officers",
];

/// Citygrid's fields of each layer, those a file's field may be read as.
fn layer_fields(layer: &str) -> &'static [&'static str] {
    match layer {
        "grids" => &["code", "name", "community"],
        "communities" => &["code", "name", "subdistrict"],
        "streets" => &[
            "name",
            "class",
            "left_from",
            "left_to",
            "right_from",
            "right_to",
        ],
        "shops" => &[
            "code",
            "name",
            "address",
            "category",
            "contact",
            "phone",
            "license",
            "door_radius_m",
        ],
        "zones" => &["name", "level", "hours", "categories"],
        "components" => &["code", "kind", "status"],
        "sections" => &[
            "code",
            "name",
            "contractor",
            "area",
            "fee_per_month",
            "rule",
            "streets",
        ],
        _ => &[],
    }
}

/// The common systems, offered as the coordinate system is typed.
const SYSTEMS: [(&str, &str); 8] = [
    ("wgs84", "WGS 84 / CGCS2000"),
    ("gcj02", "GCJ-02"),
    ("bd09", "BD-09"),
    ("EPSG:4527", "CGCS2000 3° 39"),
    ("EPSG:4548", "CGCS2000 3° CM 117E"),
    ("EPSG:4498", "CGCS2000 6° 20"),
    ("EPSG:32650", "WGS 84 / UTM 50N"),
    ("EPSG:2385", "Xi'an 1980 3° CM 120E"),
];

/// `ours=theirs,…` for the `fields` parameter.
fn mapping_text(mapping: &[(String, String)]) -> String {
    mapping
        .iter()
        .map(|(ours, theirs)| format!("{ours}={theirs}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads the file's field `theirs` as `ours` (or as an attribute when `ours` is empty).
fn remap(mapping: &mut Vec<(String, String)>, ours: &str, theirs: &str) {
    mapping.retain(|(o, t)| t != theirs && (ours.is_empty() || o != ours));
    if !ours.is_empty() {
        mapping.push((ours.to_owned(), theirs.to_owned()));
    }
}

/// How a file's text was decoded, in the page's language (the server says why in English).
fn encoding_in(lang: Lang, said: &str) -> String {
    if lang == Lang::En {
        return said.to_owned();
    }
    [
        (" (its .cpg)", "（按 .cpg 文件）"),
        (" (its code page byte)", "（按 .dbf 代码页）"),
        (" (--encoding)", "（按指定编码）"),
        (" (every text is valid UTF-8)", "（文本均为有效 UTF-8）"),
        (
            " (no .cpg or code page, and the text is not UTF-8)",
            "（无 .cpg 与代码页，且文本不是 UTF-8）",
        ),
    ]
    .iter()
    .fold(said.to_owned(), |text, (en, zh)| text.replace(en, zh))
}

/// The errors of a refused file, as a table.
fn feature_errors(lang: Lang, errors: Vec<FeatureError>) -> impl IntoView {
    view! {
        <table class="feature-errors">
            <thead><tr><th>{t(lang, "feature")}</th><th>{t(lang, "code")}</th>
                <th>{t(lang, "field")}</th><th>{t(lang, "problem")}</th></tr></thead>
            <tbody>{errors.into_iter().map(|e| {
                let at = e.feature.map(|n| n.to_string())
                    .or_else(|| e.line.map(|n| format!("{} {n}", t(lang, "line"))))
                    .unwrap_or_default();
                let at = match e.file {
                    Some(file) => format!("{file} {at}"),
                    None => at,
                };
                let said = problem_in(lang, &e.problem);
                let original = (said != e.problem).then(|| e.problem.clone());
                view! { <tr><td>{at}</td><td>{e.code.unwrap_or_else(|| "—".to_owned())}</td>
                    <td>{e.field}</td><td>{said}{original.map(|o| view! { " "<small class="original">{o}</small> })}</td></tr> }
            }).collect_view()}</tbody>
        </table>
    }
}

/// A failure: its words and, for a refused file, its bad features.
fn failure(lang: Lang, f: &api::Failure) -> AnyView {
    let errors: Vec<FeatureError> = f
        .problem
        .as_ref()
        .and_then(|p| p.errors.clone())
        .unwrap_or_default();
    // All or nothing: a file with bad features stored none of them.
    let headline = if errors.is_empty() {
        f.detail.clone()
    } else {
        format!("{} {}", errors.len(), t(lang, "bad_features"))
    };
    view! {
        <p class="error" role="alert">{headline}</p>
        {(!errors.is_empty()).then(|| feature_errors(lang, errors))}
    }
    .into_any()
}

#[component]
pub fn ImportLayer() -> impl IntoView {
    let lang = ctx().lang;
    let layer = RwSignal::new(LAYERS[0].to_owned());
    let crs = RwSignal::new(String::new());
    let encoding = RwSignal::new(String::new());
    let table = RwSignal::new(String::new());
    let towgs84 = RwSignal::new(String::new());
    let mapping = RwSignal::new(Vec::<(String, String)>::new());
    let file = RwSignal::new_local(None::<web_sys::File>);
    let preview = RwSignal::new(None::<Result<LayerPreview, api::Failure>>);
    let outcome = RwSignal::new(None::<Result<ImportReport, api::Failure>>);
    let busy = RwSignal::new(false);
    let query = move || {
        let mut parts = Vec::new();
        for (name, value) in [
            ("crs", crs.get_untracked()),
            ("encoding", encoding.get_untracked()),
            ("table", table.get_untracked()),
            ("towgs84", towgs84.get_untracked()),
            ("fields", mapping_text(&mapping.get_untracked())),
        ] {
            if !value.trim().is_empty() {
                parts.push(format!("{name}={}", api::encode(value.trim())));
            }
        }
        parts.join("&")
    };
    let send = move |previewing: bool| {
        let Some(f) = file.get_untracked() else {
            return;
        };
        let path = if previewing { "/preview" } else { "" };
        let url = format!("/api/v1/layers/{}{path}?{}", layer.get_untracked(), query());
        busy.set(true);
        spawn_local(async move {
            let kind = "application/octet-stream";
            if previewing {
                let answer = api::send_file::<LayerPreview>("POST", &url, &f, kind).await;
                // Where the file's features lie, on the map beside the page.
                let [w, s, e, n] = answer
                    .as_ref()
                    .ok()
                    .and_then(|p| p.extent)
                    .unwrap_or([f64::NAN; 4]);
                crate::map::show_extent(w, s, e, n);
                preview.set(Some(answer));
            } else {
                outcome.set(Some(
                    api::send_file::<ImportReport>("PUT", &url, &f, kind).await,
                ));
            }
            busy.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(false);
    };
    let choose_file = move |ev: leptos::ev::Event| {
        file.set(
            event_target::<web_sys::HtmlInputElement>(&ev)
                .files()
                .and_then(|f| f.get(0)),
        );
        preview.set(None);
        outcome.set(None);
        mapping.set(Vec::new());
    };
    let shown_preview = move || {
        preview.get().map(|p| match p {
            Ok(p) => preview_view(lang.get(), &layer.get(), p, mapping).into_any(),
            Err(f) => failure(lang.get(), &f),
        })
    };
    view! {
        <form class="import-layer" on:submit=submit>
            <h2>{move || t(lang.get(), "import_layer")}</h2>
            <label>{move || t(lang.get(), "layer")}
                <select name="layer" on:change=move |ev| { layer.set(event_target_value(&ev)); mapping.set(Vec::new()); }>
                    {LAYERS.map(|l| view! { <option value=l>{move || t(lang.get(), l)}</option> }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "file")}
                <input type="file" name="file" accept=".geojson,.json,.csv,.zip,.gpkg" on:change=choose_file /></label>
            <label>{move || t(lang.get(), "crs")}
                <input name="crs" list="crs-systems" placeholder=move || t(lang.get(), "crs_auto")
                    prop:value=move || crs.get() on:input=move |ev| crs.set(event_target_value(&ev)) /></label>
            <datalist id="crs-systems">
                {SYSTEMS.map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
            </datalist>
            <label>{move || t(lang.get(), "encoding")}
                <select name="encoding" on:change=move |ev| encoding.set(event_target_value(&ev))>
                    <option value="">{move || t(lang.get(), "encoding_auto")}</option>
                    <option value="GBK">"GBK"</option>
                    <option value="UTF-8">"UTF-8"</option>
                </select></label>
            <label>{move || t(lang.get(), "gpkg_table")}
                <input name="table" prop:value=move || table.get() on:input=move |ev| table.set(event_target_value(&ev)) /></label>
            <label>{move || t(lang.get(), "towgs84")}
                <input name="towgs84" placeholder="dx,dy,dz,rx,ry,rz,ds"
                    prop:value=move || towgs84.get() on:input=move |ev| towgs84.set(event_target_value(&ev)) /></label>
            <div class="buttons">
                <button type="button" name="preview" disabled=move || busy.get() on:click=move |_| send(true)>
                    {move || t(lang.get(), "preview")}</button>
                <button type="submit" disabled=move || busy.get()>{move || t(lang.get(), "import")}</button>
            </div>
            {shown_preview}
            {move || outcome.get().map(|o| match o {
                Ok(report) => view! {
                    <p class="ok" role="status">{t(lang.get(), "imported")}": "{report.count}</p>
                    <ul class="warnings">{report.warnings.into_iter()
                        .map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                }.into_any(),
                Err(f) => failure(lang.get(), &f),
            })}
        </form>
    }
}

/// What the import would do, with the file's fields each mapped to one of citygrid's.
fn preview_view(
    lang: Lang,
    layer: &str,
    p: LayerPreview,
    mapping: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let ours = layer_fields(layer);
    let mut fields: Vec<String> = Vec::new();
    for f in p.files.iter().flat_map(|f| f.fields.iter()) {
        if !fields.contains(f) {
            fields.push(f.clone());
        }
    }
    // Start from what the import understood; the admin's choices then travel as `fields`.
    let understood: Vec<(String, String)> = p
        .mapping
        .iter()
        .map(|m| (m.field.clone(), m.from.clone()))
        .collect();
    let headline = if p.errors.is_empty() {
        format!(
            "{} {} {}",
            t(lang, "would_import"),
            p.count,
            t(lang, "features_n")
        )
    } else {
        format!("{} {}", p.errors.len(), t(lang, "would_refuse"))
    };
    let extent = p
        .extent
        .map(|[w, s, e, n]| format!("{}: {w:.5}, {s:.5} – {e:.5}, {n:.5}", t(lang, "extent")));
    view! {
        <section class="layer-preview" aria-live="polite">
            <p class=if p.errors.is_empty() { "ok" } else { "error" } role="status">{headline}</p>
            <ul class="preview-files">{p.files.into_iter().map(|f| view! {
                <li>{format!("{}: {} {} · {} {}", f.name, f.features, t(lang, "features_n"), t(lang, "crs"), f.crs)}
                    {f.encoding.map(|e| format!(" · {} {}", t(lang, "encoding"), encoding_in(lang, &e)))}</li>
            }).collect_view()}</ul>
            {extent.map(|e| view! { <p class="extent">{e}</p> })}
            <table class="field-mapping">
                <thead><tr><th>{t(lang, "file_field")}</th><th>{t(lang, "citygrid_field")}</th></tr></thead>
                <tbody>{fields.into_iter().map(|theirs| {
                    let chosen = understood.iter().find(|(_, t)| *t == theirs).map(|(o, _)| o.clone());
                    let field = theirs.clone();
                    let seed = understood.clone();
                    let change = move |ev: leptos::ev::Event| {
                        let ours = event_target_value(&ev);
                        mapping.update(|m| {
                            if m.is_empty() {
                                m.clone_from(&seed);
                            }
                            remap(m, &ours, &field);
                        });
                    };
                    view! { <tr><td>{theirs.clone()}</td><td>
                        <select name=format!("map-{theirs}") on:change=change
                            aria-label=format!("{theirs} → {}", t(lang, "citygrid_field"))>
                            <option value="" selected=chosen.is_none()>{t(lang, "keep_as_attribute")}</option>
                            {ours.iter().map(|o| view! {
                                <option value=*o selected=chosen.as_deref() == Some(*o)>{*o}</option>
                            }).collect_view()}
                        </select></td></tr> }
                }).collect_view()}</tbody>
            </table>
            {(!p.errors.is_empty()).then(|| feature_errors(lang, p.errors))}
        </section>
    }
}

/// A layer downloaded for the bureau's GIS: GeoJSON, GeoPackage or zipped Shapefile, in WGS 84
/// or its own system, with Chinese field names if asked.
#[component]
pub fn ExportLayer() -> impl IntoView {
    let lang = ctx().lang;
    let layer = RwSignal::new(LAYERS[0].to_owned());
    let format = RwSignal::new("shp".to_owned());
    let crs = RwSignal::new("EPSG:4527".to_owned());
    let chinese = RwSignal::new(true);
    let encoding = RwSignal::new("gbk".to_owned());
    let href = move || {
        let mut url = format!(
            "/api/v1/layers/{}?format={}&crs={}&encoding={}",
            layer.get(),
            format.get(),
            api::encode(crs.get().trim()),
            encoding.get()
        );
        if chinese.get() {
            url.push_str("&names=zh");
        }
        url
    };
    view! {
        <form class="import-layer export-layer" on:submit=|ev| ev.prevent_default()>
            <h2>{move || t(lang.get(), "export_layer")}</h2>
            <label>{move || t(lang.get(), "layer")}
                <select name="export-layer" on:change=move |ev| layer.set(event_target_value(&ev))>
                    {LAYERS[..7].iter().map(|l| view! { <option value=*l>{move || t(lang.get(), l)}</option> }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "format")}
                <select name="format" on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="shp">"Shapefile (.zip)"</option>
                    <option value="gpkg">"GeoPackage"</option>
                    <option value="geojson">"GeoJSON"</option>
                </select></label>
            <label>{move || t(lang.get(), "crs")}
                <input name="export-crs" list="crs-systems" prop:value=move || crs.get()
                    on:input=move |ev| crs.set(event_target_value(&ev)) /></label>
            <label>{move || t(lang.get(), "encoding")}
                <select name="export-encoding" on:change=move |ev| encoding.set(event_target_value(&ev))>
                    <option value="gbk">"GBK"</option>
                    <option value="utf-8">"UTF-8"</option>
                </select></label>
            <label>{move || t(lang.get(), "chinese_names")}
                <input type="checkbox" name="chinese-names" prop:checked=move || chinese.get()
                    on:change=move |ev| chinese.set(event_target_checked(&ev)) /></label>
            <a class="button download" href=href download="">{move || t(lang.get(), "download")}</a>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_field_replaces_what_it_was_read_as() {
        let mut m = vec![
            ("code".to_owned(), "网格编码".to_owned()),
            ("name".to_owned(), "名称".to_owned()),
        ];
        remap(&mut m, "name", "网格名称");
        assert_eq!(mapping_text(&m), "code=网格编码,name=网格名称");
        remap(&mut m, "", "网格编码");
        assert_eq!(mapping_text(&m), "name=网格名称");
        assert!(layer_fields("streets").contains(&"left_from"));
        assert_eq!(
            encoding_in(Lang::Zh, "GBK (its .cpg)"),
            "GBK（按 .cpg 文件）"
        );
        assert_eq!(encoding_in(Lang::En, "GBK (its .cpg)"), "GBK (its .cpg)");
    }
}
