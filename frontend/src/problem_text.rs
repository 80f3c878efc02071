//! The server's words about a bad feature or row (English, as the API documents them) said in
//! the user's language: the common problems by their shape, anything else as it came.

use crate::i18n::Lang;

/// `problem` in `lang`; in Chinese the known shapes are translated and the rest kept.
pub fn problem_in(lang: Lang, problem: &str) -> String {
    if lang == Lang::En {
        return problem.to_owned();
    }
    let p = problem.trim();
    if let Some(other) = p
        .strip_prefix("is required when ")
        .and_then(|r| r.strip_suffix(" is given"))
    {
        return format!("填写 {other} 时必填");
    }
    let fixed = [
        (
            "an extension needs the new deadline",
            "延期须填写新的处置时限",
        ),
        (
            "the new deadline must be later",
            "新的处置时限须晚于当前时限",
        ),
        ("asking for more time needs a reason", "申请延期须说明原因"),
        ("dispatch needs an officer", "派遣须选择处置人"),
        ("no officer", "没有这个处置人"),
        ("is required", "必填"),
        ("is missing", "缺失"),
        ("duplicate code", "编码重复"),
        ("not a valid GeoJSON Feature", "不是有效的 GeoJSON 要素"),
        ("may hold only letters", "只能包含字母、数字、“-”和“_”"),
        ("list items must be text", "列表项应为文本"),
        ("expected an object", "应为对象"),
        ("expected text", "应为文本"),
        ("expected a number", "应为数字"),
        ("expected a whole number", "应为非负整数"),
        ("expected a list", "应为列表"),
        ("must be between", "超出允许范围"),
    ];
    if let Some((_, zh)) = fixed.iter().find(|(en, _)| p.starts_with(en)) {
        return (*zh).to_owned();
    }
    // "expected Polygon or MultiPolygon, got Point"
    if let Some((want, got)) = p
        .strip_prefix("expected ")
        .and_then(|r| r.split_once(", got "))
    {
        return format!("应为 {want}，实为 {got}");
    }
    // "unknown zone level \"forbidden\"; expected one of a, b"
    if let Some(rest) = p.strip_prefix("unknown ") {
        let (what, choices) = rest.split_once("; expected one of ").unwrap_or((rest, ""));
        let value = what.find('"').map_or(what, |i| &what[i..]);
        return if choices.is_empty() {
            format!("未知的取值 {value}")
        } else {
            format!("未知的取值 {value}（可选：{choices}）")
        };
    }
    problem.to_owned()
}

/// A field of a refused request, as the user reads it.
pub fn field_in(lang: Lang, field: &str) -> String {
    let known = [
        "deadline",
        "note",
        "assignee",
        "category",
        "description",
        "photo",
    ];
    if lang == Lang::Zh && known.contains(&field) {
        crate::i18n::t(lang, field).to_owned()
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_problems_read_in_chinese_and_the_rest_as_they_came() {
        let zh = |p| problem_in(Lang::Zh, p);
        assert_eq!(zh("is required"), "必填");
        assert_eq!(
            zh("is required when to_left is given"),
            "填写 to_left 时必填"
        );
        assert_eq!(
            zh("expected Polygon or MultiPolygon, got Point"),
            "应为 Polygon or MultiPolygon，实为 Point"
        );
        assert_eq!(
            zh("unknown zone level \"forbidden\"; expected one of strict, permitted"),
            "未知的取值 \"forbidden\"（可选：strict, permitted）"
        );
        assert_eq!(zh("duplicate code, also used by feature 2"), "编码重复");
        assert_eq!(zh("a self-intersecting ring"), "a self-intersecting ring");
        assert_eq!(problem_in(Lang::En, "is required"), "is required");
    }
}
