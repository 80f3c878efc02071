//! Chinese names for the demo district's places and people.

pub const DISTRICT_NAME: &str = "相城区";
pub const SUBDISTRICTS: [&str; 2] = ["东山街道", "南湖街道"];
/// Communities, west→east then north→south within each sub-district's two columns.
pub const COMMUNITIES: [&str; 8] = [
    "古城社区",
    "桂苑社区",
    "梧桐社区",
    "惠黎社区",
    "长山社区",
    "龙山社区",
    "南湖社区",
    "沱河社区",
];

/// East–west main roads, north→south, with their y (metres north of the centre).
pub const EW_ROADS: [(&str, f64); 5] = [
    ("相山路", 750.0),
    ("人民路", 450.0),
    ("淮海路", 50.0),
    ("孟山路", -350.0),
    ("南黎路", -750.0),
];
/// North–south main roads, west→east, with their x (metres east of the centre).
pub const NS_ROADS: [(&str, f64); 9] = [
    ("古城路", -1150.0),
    ("惠黎路", -850.0),
    ("梧桐路", -600.0),
    ("桓谭路", -300.0),
    ("长山路", 0.0),
    ("沱河路", 300.0),
    ("濉河路", 600.0),
    ("龙山路", 900.0),
    ("凤凰路", 1150.0),
];

pub const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

pub const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
];
pub const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "华", "慧", "建国", "晓东", "海燕", "志强", "丽", "斌",
];

/// Shop trades: (name ending, category).
pub const TRADES: [(&str, &str); 20] = [
    ("烧烤", "餐饮"),
    ("面馆", "餐饮"),
    ("饺子馆", "餐饮"),
    ("快餐", "餐饮"),
    ("小吃", "餐饮"),
    ("便利店", "零售"),
    ("超市", "零售"),
    ("水果店", "水果生鲜"),
    ("生鲜", "水果生鲜"),
    ("理发店", "美容美发"),
    ("美容院", "美容美发"),
    ("五金店", "五金建材"),
    ("建材", "五金建材"),
    ("大药房", "药店"),
    ("服装店", "服装"),
    ("鞋店", "服装"),
    ("电动车维修", "维修"),
    ("手机店", "通讯"),
    ("宾馆", "住宿"),
    ("茶叶店", "零售"),
];

/// How shops are called: "老王烧烤", "李记面馆", "华联超市".
pub const SHOP_PREFIXES: [&str; 6] = ["老{s}", "{s}记", "{s}氏", "小{s}", "{s}家", "{s}大姐"];
pub const BRANDS: [&str; 12] = [
    "华联",
    "惠民",
    "金鼎",
    "福源",
    "鑫盛",
    "百佳",
    "万家",
    "同心",
    "康宁",
    "鸿运",
    "聚福",
    "新世纪",
];
