//! The explorer page's files, embedded in the binary when it is built: the server answers
//! only names in this table, so no request can reach the file system.

/// An embedded file: its name under `/assets/`, its content type, its bytes.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $type:literal) => {
        Asset {
            name: $name,
            content_type: $type,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/explorer/", $name)),
        }
    };
}

/// Every file the page may load. `index.html` is also served at `/`. Add vendored files here
/// (their path under assets/explorer/, e.g. "vendor/sigma.min.js").
pub static ASSETS: &[Asset] = &[
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("vendor/cytoscape-3.35.0.min.js", "text/javascript; charset=utf-8"),
    asset!("vendor/cytoscape-LICENSE.txt", "text/plain; charset=utf-8"),
];

/// The embedded file of that exact name, if any: names are compared whole, never joined to a
/// path, so `..`, `%2e%2e` or `/etc/passwd` are simply not in the table.
pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_has_the_page_and_no_path_tricks() {
        assert!(super::find("index.html").is_some());
        for bad in ["../Cargo.toml", "/index.html", "%2e%2e/Cargo.toml", "", "vendor/../index.html"] {
            assert!(super::find(bad).is_none(), "{bad}");
        }
        assert!(super::ASSETS.iter().all(|a| !a.name.contains("..") && !a.name.starts_with('/')));
    }
}
