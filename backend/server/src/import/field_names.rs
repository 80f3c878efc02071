//! The Chinese field names a bureau's layers carry (from the digital city-management
//! construction, the surveying institute, the natural-resources bureau), read as citygrid's own:
//! 网格编码 as `code`, 道路名称 as `name`, 左起号 as `left_from` … A field already named as
//! citygrid names it wins; the others are left as they are (they become attributes).

use citygrid_core::features::Attributes;
use citygrid_core::layer::Layer;

/// Citygrid's field and the names that stand for it, per layer.
fn names(layer: Layer) -> &'static [(&'static str, &'static [&'static str])] {
    match layer {
        Layer::Communities => &[
            ("code", &["社区编码", "社区代码", "编码", "代码"]),
            ("name", &["社区名称", "名称"]),
            ("subdistrict", &["街道", "所属街道", "街道办", "街道名称"]),
        ],
        Layer::Grids => &[
            ("code", &["网格编码", "网格代码", "编码", "代码"]),
            ("name", &["网格名称", "名称"]),
            ("community", &["社区编码", "所属社区", "社区代码"]),
        ],
        Layer::Streets => &[
            ("name", &["道路名称", "路名", "名称"]),
            ("class", &["道路等级", "等级"]),
            ("left_from", &["左起号"]),
            ("left_to", &["左止号"]),
            ("right_from", &["右起号"]),
            ("right_to", &["右止号"]),
        ],
        Layer::Shops => &[
            ("code", &["商户编码", "门店编码", "编码", "代码"]),
            ("name", &["商户名称", "店名", "名称"]),
            ("address", &["地址", "门牌地址"]),
            ("category", &["经营类别", "行业", "类别"]),
            ("contact", &["负责人", "联系人"]),
            ("phone", &["联系电话", "电话"]),
            ("license", &["执照号", "许可证号", "营业执照号"]),
            ("door_radius_m", &["责任半径"]),
        ],
        Layer::Zones => &[
            ("code", &["区域编码", "编码", "代码"]),
            ("name", &["区域名称", "名称"]),
            ("level", &["管理等级", "等级"]),
            ("hours", &["时段", "管控时段"]),
        ],
        Layer::Components => &[
            ("code", &["部件编码", "编码", "代码"]),
            ("kind", &["部件类型", "类型"]),
            ("status", &["状态"]),
        ],
        Layer::Addresses => &[
            ("street", &["道路名称", "街路巷", "道路"]),
            ("number", &["门牌号", "门牌号码"]),
        ],
        Layer::Sections => &[
            (
                "code",
                &["标段编号", "作业区编号", "标段编码", "编号", "编码"],
            ),
            ("name", &["标段名称", "作业区名称", "名称"]),
            (
                "contractor",
                &["作业单位", "承包单位", "保洁公司", "中标单位"],
            ),
            ("area", &["城乡", "区域类型", "类型"]),
            ("fee_per_month", &["月费用", "月服务费", "每月费用"]),
            ("rule", &["考核办法", "考核规则"]),
            ("streets", &["作业道路", "道路"]),
        ],
        Layer::Officers => &[],
    }
}

/// Renames the Chinese fields of one feature's properties to citygrid's, where citygrid's own
/// name is not there already; the first Chinese name present wins.
pub fn canonical(layer: Layer, properties: &mut Attributes) {
    for (field, aliases) in names(layer) {
        if properties.contains_key(*field) {
            continue;
        }
        let found = aliases.iter().find_map(|a| properties.remove(*a));
        if let Some(value) = found {
            properties.insert((*field).to_owned(), value);
        }
    }
}

/// `code=网格号`: citygrid's field, then the file's (as `--field` and `fields=` give them).
pub fn parse_mapping(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((ours, theirs)) if !ours.trim().is_empty() && !theirs.trim().is_empty() => {
            Ok((ours.trim().to_owned(), theirs.trim().to_owned()))
        }
        _ => Err(format!(
            "{text:?}: give citygrid's field and the file's, as code=网格号"
        )),
    }
}

/// The Chinese name a bureau's files commonly give one of citygrid's fields (for exports).
pub fn chinese(layer: Layer, field: &str) -> Option<&'static str> {
    names(layer)
        .iter()
        .find(|(ours, _)| *ours == field)
        .and_then(|(_, aliases)| aliases.first().copied())
}

/// Which of a file's fields are read as which of citygrid's — those asked for first, then the
/// built-in names — as (citygrid's, the file's), for a preview.
pub fn mapping(
    layer: Layer,
    fields: &[String],
    asked: &[(String, String)],
) -> Vec<(String, String)> {
    let mut used: Vec<(String, String)> = asked
        .iter()
        .filter(|(_, theirs)| fields.contains(theirs))
        .cloned()
        .collect();
    for (field, aliases) in names(layer) {
        let taken = used.iter().any(|(ours, _)| ours == field);
        if taken || fields.iter().any(|f| f == field) {
            continue;
        }
        if let Some(alias) = aliases.iter().find(|a| fields.iter().any(|f| f == *a)) {
            used.push(((*field).to_owned(), (*alias).to_owned()));
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chinese_field_names_read_as_citygrids_and_its_own_win() {
        let mut p: Attributes = serde_json::from_value(json!({
            "网格编码": "340688001001001", "名称": "古城社区001号网格", "社区编码": "340688001001", "面积": 1.5
        }))
        .unwrap();
        canonical(Layer::Grids, &mut p);
        assert_eq!(p["code"], "340688001001001");
        assert_eq!(p["name"], "古城社区001号网格");
        assert_eq!(p["community"], "340688001001");
        assert_eq!(p["面积"], 1.5, "others are kept as attributes");
        let mut both: Attributes =
            serde_json::from_value(json!({ "name": "人民路", "道路名称": "旧名", "左起号": 1 }))
                .unwrap();
        canonical(Layer::Streets, &mut both);
        assert_eq!(both["name"], "人民路");
        assert_eq!(both["left_from"], 1);
        let fields: Vec<String> = ["网格号", "名称", "社区编码"].map(String::from).to_vec();
        let asked = [("code".to_owned(), "网格号".to_owned())];
        assert_eq!(
            mapping(Layer::Grids, &fields, &asked),
            [
                ("code", "网格号"),
                ("name", "名称"),
                ("community", "社区编码")
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn a_mapping_is_citygrids_field_then_the_files() {
        assert_eq!(
            parse_mapping(" code = 网格号 ").unwrap(),
            ("code".to_owned(), "网格号".to_owned())
        );
        assert!(parse_mapping("code").is_err() && parse_mapping("=x").is_err());
    }
}
