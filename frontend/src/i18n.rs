//! The app's words in Chinese (the default) and English.

/// The display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Self {
        if code.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// A word or phrase in both languages.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let (zh, en) = match key {
        "title" => ("城市网格化管理", "City grid management"),
        "layers" => ("图层", "Layers"),
        "communities" => ("社区", "Communities"),
        "grids" => ("单元网格", "Grid cells"),
        "streets" => ("道路", "Streets"),
        "shops" => ("沿街商户", "Shops"),
        "zones" | "zone" => ("管理区域", "Zones"),
        "components" => ("部件", "Components"),
        "search" => ("地址、商户或网格编码", "Address, shop or grid code"),
        "search_button" => ("查找", "Search"),
        "no_results" => ("未找到匹配的地点", "No matching place"),
        "click_hint" => (
            "点击地图查看该位置的责任网格、社区、道路和门责商户",
            "Click the map to see who is responsible for that spot",
        ),
        "grid" => ("网格", "Grid cell"),
        "community" => ("社区", "Community"),
        "subdistrict" => ("街道", "Sub-district"),
        "street" => ("道路", "Street"),
        "shop" => ("门责商户", "Door-front shop"),
        "outside" => ("不在辖区网格内", "Outside every grid cell"),
        "nearest" => ("最近网格", "Nearest cell"),
        "none" => ("无", "none"),
        "left" => ("左侧", "left side"),
        "right" => ("右侧", "right side"),
        "on" => ("道路中线", "on the centre line"),
        "active" => ("生效中", "in force"),
        "inactive" => ("当前不在时段", "outside its hours"),
        "door_front_area" => ("门前责任区", "door-front area"),
        "same_side_door" => ("同侧最近门店", "nearest door, same side"),
        "nearest_door" => ("最近门店", "nearest door"),
        "boundary" => ("（位于网格边界）", " (on a cell boundary)"),
        "loading" => ("查询中…", "Looking up…"),
        "metres" => ("米", "m"),
        "language" => ("English", "中文"),
        "demonstration" => ("示范街", "demonstration street"),
        "prohibited" => ("严禁区", "prohibited zone"),
        "strict" => ("严管区", "strictly managed zone"),
        "controlled" => ("严控区", "controlled zone"),
        "permitted" => ("疏导点", "permitted stall area"),
        "username" => ("用户名", "Username"),
        "password" => ("密码", "Password"),
        "login" => ("登录", "Log in"),
        "logout" => ("退出", "Log out"),
        "login_missing" => ("请输入用户名和密码", "Enter your username and password"),
        "login_failed" => ("用户名或密码错误", "The username or password is wrong"),
        "login_locked" => (
            "登录失败次数过多，请稍后再试",
            "Too many failed logins; try again later",
        ),
        "network" => ("无法连接服务器", "The server cannot be reached"),
        "admin" => ("管理员", "admin"),
        "leader" => ("局领导", "leader"),
        "supervisor" => ("网格监督员", "supervisor"),
        "dispatcher" => ("派遣员", "dispatcher"),
        "officer" => ("执法队员", "officer"),
        "planner" => ("规划分析", "planner"),
        _ => ("?", "?"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
