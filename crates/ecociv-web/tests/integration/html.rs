//! A small, strict HTML reader for the tests: it builds the element tree of a page and refuses unbalanced
//! or misnested tags, unquoted attributes and duplicate ids, so a broken page fails its test. It knows
//! the void elements and decodes the entities maud writes.

use std::collections::HashSet;

#[derive(Debug, Clone)]
pub enum Child {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Element {
    pub tag: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Child>,
}

const VOID: [&str; 10] = [
    "meta", "link", "input", "br", "hr", "img", "col", "source", "wbr", "area",
];

pub fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Parses a whole document; the root is a synthetic `#document` element.
pub fn parse(html: &str) -> Result<Element, String> {
    let mut stack: Vec<Element> = vec![Element {
        tag: "#document".into(),
        attrs: vec![],
        children: vec![],
    }];
    let mut rest = html;
    let mut ids = HashSet::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("unterminated comment")?;
            rest = &after[end + 3..];
        } else if rest.starts_with("<!") {
            let end = rest.find('>').ok_or("unterminated doctype")?;
            rest = &rest[end + 1..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').ok_or("unterminated end tag")?;
            let name = after[..end].trim().to_ascii_lowercase();
            let open = stack.pop().ok_or("stack empty")?;
            if open.tag != name {
                return Err(format!("</{name}> closes <{}>", open.tag));
            }
            stack
                .last_mut()
                .ok_or(format!("</{name}> closes the document"))?
                .children
                .push(Child::Element(open));
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let (element, consumed, self_closing) = parse_start(after)?;
            rest = &after[consumed..];
            if let Some(id) = element
                .attrs
                .iter()
                .find(|(name, _)| name == "id")
                .map(|(_, value)| value.clone())
                && !ids.insert(id.clone())
            {
                return Err(format!("duplicate id {id}"));
            }
            if self_closing || VOID.contains(&element.tag.as_str()) {
                stack
                    .last_mut()
                    .ok_or("no parent")?
                    .children
                    .push(Child::Element(element));
            } else {
                stack.push(element);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if text.contains('>') {
                return Err(format!("stray '>' in text {text:?}"));
            }
            if !text.is_empty() {
                stack
                    .last_mut()
                    .ok_or("no parent")?
                    .children
                    .push(Child::Text(decode(text)));
            }
            rest = &rest[end..];
        }
    }
    if stack.len() != 1 {
        return Err(format!(
            "unclosed <{}>",
            stack.last().map(|e| e.tag.as_str()).unwrap_or("?")
        ));
    }
    stack.pop().ok_or_else(|| "empty".to_string())
}

fn parse_start(text: &str) -> Result<(Element, usize, bool), String> {
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() && (bytes[index].is_ascii_alphanumeric() || bytes[index] == b'-') {
        index += 1;
    }
    let tag = text[..index].to_ascii_lowercase();
    if tag.is_empty() {
        return Err(format!("bad tag at {:?}", &text[..text.len().min(20)]));
    }
    let mut attrs = Vec::new();
    loop {
        while index < bytes.len() && bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        if index >= bytes.len() {
            return Err(format!("unterminated <{tag}>"));
        }
        if bytes[index] == b'>' {
            return Ok((
                Element {
                    tag,
                    attrs,
                    children: vec![],
                },
                index + 1,
                false,
            ));
        }
        if text[index..].starts_with("/>") {
            return Ok((
                Element {
                    tag,
                    attrs,
                    children: vec![],
                },
                index + 2,
                true,
            ));
        }
        let start = index;
        while index < bytes.len() && !matches!(bytes[index], b'=' | b'>' | b' ' | b'\n' | b'\t' | b'/') {
            index += 1;
        }
        let name = text[start..index].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("bad attribute in <{tag}>"));
        }
        if index < bytes.len() && bytes[index] == b'=' {
            index += 1;
            if bytes.get(index) != Some(&b'"') {
                return Err(format!("unquoted attribute {name} in <{tag}>"));
            }
            let value_start = index + 1;
            let end = text[value_start..]
                .find('"')
                .ok_or(format!("unterminated attribute {name}"))?;
            let value = &text[value_start..value_start + end];
            if value.contains('<') {
                return Err(format!("raw '<' in attribute {name}"));
            }
            attrs.push((name, decode(value)));
            index = value_start + end + 1;
        } else {
            attrs.push((name, String::new()));
        }
    }
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
    }

    /// All text below this element, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for child in &self.children {
            match child {
                Child::Text(text) => out.push_str(text),
                Child::Element(element) => element.collect_text(out),
            }
        }
    }

    /// Every element below this one (depth first), this one excluded.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a Element>) {
        for child in &self.children {
            if let Child::Element(element) = child {
                out.push(element);
                element.collect(out);
            }
        }
    }

    pub fn find_all(&self, pred: impl Fn(&Element) -> bool) -> Vec<&Element> {
        self.descendants().into_iter().filter(|element| pred(element)).collect()
    }

    pub fn tag_all(&self, tag: &str) -> Vec<&Element> {
        self.find_all(|element| element.tag == tag)
    }

    pub fn by_id(&self, id: &str) -> Option<&Element> {
        self.descendants()
            .into_iter()
            .find(|element| element.attr("id") == Some(id))
    }

    /// Every text a person can read or hear: text nodes and the title / aria-label / placeholder / alt
    /// attributes. `<title>` is included.
    pub fn visible_texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_visible(&mut out);
        out
    }

    fn collect_visible(&self, out: &mut Vec<String>) {
        for (name, value) in &self.attrs {
            if matches!(name.as_str(), "title" | "aria-label" | "placeholder" | "alt") && !value.is_empty() {
                out.push(value.clone());
            }
        }
        for child in &self.children {
            match child {
                Child::Text(text) if !text.trim().is_empty() => out.push(text.clone()),
                Child::Text(_) => {}
                Child::Element(element) => element.collect_visible(out),
            }
        }
    }
}

#[test]
fn the_reader_refuses_broken_markup() {
    assert!(parse("<div><p>x</div></p>").is_err());
    assert!(parse("<div>").is_err());
    assert!(parse("<a href=x>y</a>").is_err());
    assert!(parse("<p id=\"a\"></p><p id=\"a\"></p>").is_err());
    let doc = parse("<!DOCTYPE html><p class=\"a b\" title=\"&quot;t&quot;\">x &amp; y<input disabled></p>").unwrap();
    let p = &doc.tag_all("p")[0];
    assert!(p.has_class("b"));
    assert_eq!(p.text(), "x & y");
    assert_eq!(p.attr("title"), Some("\"t\""));
    assert_eq!(doc.tag_all("input")[0].attr("disabled"), Some(""));
}
