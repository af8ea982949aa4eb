//! A strict, minimal, bounded XML reader for the small documents of UPnP: device and
//! service descriptions, SOAP envelopes, GENA property sets. It never allocates: it walks
//! the input and keeps the names of the open elements in a fixed array of
//! [`MAX_DEPTH`] entries.
//!
//! It reads elements, attributes (checked, handed over raw), text, comments and the
//! `<?xml …?>` declaration. It refuses what these documents never need and what makes
//! XML dangerous: `<!DOCTYPE` (entity definitions, "billion laughs"), CDATA sections,
//! entity references other than the five predefined ones and character references,
//! nesting deeper than [`MAX_DEPTH`], text beside child elements, and anything not
//! well-formed. Names are compared by their local part (after a `prefix:`), as hostapd
//! does; namespaces are not resolved.
//!
//! The reader reports elements that hold only text as [`Node::Leaf`] (the values these
//! documents carry), the others as [`Node::Open`] and [`Node::Close`].

use alloc::borrow::Cow;
use alloc::string::String;

/// Elements nested deeper than this are refused (a SOAP fault is 6 deep).
pub const MAX_DEPTH: usize = 12;

/// Why a document was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// The document ended inside a tag, a comment or an open element.
    #[error("the XML document ends too early")]
    Truncated,
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error("the XML document nests elements too deeply")]
    TooDeep,
    /// A closing tag that does not match the open element.
    #[error("an XML closing tag does not match its opening tag")]
    Mismatched,
    /// Something that is not well-formed XML, at this byte offset.
    #[error("the XML document is malformed at offset {0}")]
    Malformed(usize),
    /// A construct this reader refuses (DOCTYPE, CDATA, a declared entity), at this offset.
    #[error("the XML document uses a construct that is not accepted here (offset {0})")]
    Refused(usize),
    /// Text beside child elements.
    #[error("the XML document mixes text and elements")]
    MixedContent,
    /// Not one root element.
    #[error("the XML document does not have exactly one root element")]
    NotOneRoot,
    /// An entity or character reference that is not one of XML's own.
    #[error("the XML text has an unknown entity reference")]
    BadEntity,
}

/// One step through a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node<'a> {
    /// An element that has child elements begins.
    Open {
        /// Its local name.
        name: &'a str,
        /// Its attributes, raw (checked to be well-formed).
        attrs: &'a str,
    },
    /// An element with text only (or empty): its local name and raw text (entities not
    /// yet replaced; see [`unescape`]).
    Leaf {
        /// Its local name.
        name: &'a str,
        /// Its attributes, raw (checked to be well-formed).
        attrs: &'a str,
        /// The text between its tags, as written.
        text: &'a str,
    },
    /// The element last opened ends.
    Close {
        /// Its local name.
        name: &'a str,
    },
}

/// A pull reader over one document.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    doc: &'a str,
    pos: usize,
    open: [&'a str; MAX_DEPTH],
    local_open: [&'a str; MAX_DEPTH],
    depth: usize,
    roots: usize,
    done: bool,
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') || b >= 0x80
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'a> Reader<'a> {
    /// A reader at the start of `doc`.
    pub fn new(doc: &'a str) -> Self {
        Reader {
            doc,
            pos: 0,
            open: [""; MAX_DEPTH],
            local_open: [""; MAX_DEPTH],
            depth: 0,
            roots: 0,
            done: false,
        }
    }

    /// The local names of the elements open now, outermost first.
    pub fn path(&self) -> &[&'a str] {
        self.local_open.get(..self.depth).unwrap_or(&[])
    }

    fn rest(&self) -> &'a str {
        self.doc.get(self.pos..).unwrap_or("")
    }

    fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.doc.len());
    }

    /// Skips `<?…?>`, comments and whitespace-only text between markup; refuses
    /// DOCTYPE and CDATA. Returns the non-space text skipped over, if any.
    fn skip_misc(&mut self) -> Result<bool, XmlError> {
        let mut saw_text = false;
        loop {
            let rest = self.rest();
            let text_len = rest.find('<').unwrap_or(rest.len());
            if rest
                .get(..text_len)
                .is_some_and(|t| !t.bytes().all(is_space))
            {
                saw_text = true;
            }
            self.advance(text_len);
            let rest = self.rest();
            if rest.starts_with("<?") {
                let end = rest.find("?>").ok_or(XmlError::Truncated)?;
                self.advance(end.saturating_add(2));
            } else if rest.starts_with("<!--") {
                let body = rest.get(4..).unwrap_or("");
                let end = body.find("-->").ok_or(XmlError::Truncated)?;
                self.advance(end.saturating_add(7));
            } else if rest.starts_with("<!") {
                return Err(XmlError::Refused(self.pos));
            } else {
                return Ok(saw_text);
            }
        }
    }

    /// Reads a name at the current position.
    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let len = rest.bytes().take_while(|&b| is_name_byte(b)).count();
        let name = rest.get(..len).unwrap_or("");
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            return Err(XmlError::Malformed(self.pos));
        }
        self.advance(len);
        Ok(name)
    }

    /// Checks `name="value" …` up to `>` or `/>`; returns the raw attributes and
    /// whether the tag closed itself.
    fn attributes(&mut self) -> Result<(&'a str, bool), XmlError> {
        let start = self.pos;
        loop {
            let rest = self.rest();
            let spaces = rest.bytes().take_while(|&b| is_space(b)).count();
            self.advance(spaces);
            let rest = self.rest();
            let attrs = self.doc.get(start..self.pos).unwrap_or("").trim();
            if rest.starts_with("/>") {
                self.advance(2);
                return Ok((attrs, true));
            }
            if rest.starts_with('>') {
                self.advance(1);
                return Ok((attrs, false));
            }
            if rest.is_empty() {
                return Err(XmlError::Truncated);
            }
            if spaces == 0 && self.pos != start {
                return Err(XmlError::Malformed(self.pos));
            }
            if spaces == 0 {
                // An attribute right after the element name needs a space first.
                return Err(XmlError::Malformed(self.pos));
            }
            self.name()?;
            let rest = self.rest();
            let eq_spaces = rest.bytes().take_while(|&b| is_space(b)).count();
            self.advance(eq_spaces);
            if !self.rest().starts_with('=') {
                return Err(XmlError::Malformed(self.pos));
            }
            self.advance(1);
            let rest = self.rest();
            let q_spaces = rest.bytes().take_while(|&b| is_space(b)).count();
            self.advance(q_spaces);
            let rest = self.rest();
            let quote = match rest.bytes().next() {
                Some(q @ (b'"' | b'\'')) => char::from(q),
                Some(_) => return Err(XmlError::Malformed(self.pos)),
                None => return Err(XmlError::Truncated),
            };
            let value = rest.get(1..).unwrap_or("");
            let end = value.find(quote).ok_or(XmlError::Truncated)?;
            let raw = value.get(..end).unwrap_or("");
            if raw.contains('<') {
                return Err(XmlError::Malformed(self.pos));
            }
            check_references(raw)?;
            self.advance(end.saturating_add(2));
        }
    }

    fn push(&mut self, name: &'a str) -> Result<(), XmlError> {
        let slot = self.open.get_mut(self.depth).ok_or(XmlError::TooDeep)?;
        *slot = name;
        let slot = self
            .local_open
            .get_mut(self.depth)
            .ok_or(XmlError::TooDeep)?;
        *slot = local(name);
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    /// Reads `</name>` at the current position (which starts with `</`).
    fn end_tag(&mut self) -> Result<&'a str, XmlError> {
        self.advance(2);
        let name = self.name()?;
        let rest = self.rest();
        let spaces = rest.bytes().take_while(|&b| is_space(b)).count();
        self.advance(spaces);
        if !self.rest().starts_with('>') {
            return Err(if self.rest().is_empty() {
                XmlError::Truncated
            } else {
                XmlError::Malformed(self.pos)
            });
        }
        self.advance(1);
        Ok(name)
    }

    fn step(&mut self) -> Result<Option<Node<'a>>, XmlError> {
        let saw_text = self.skip_misc()?;
        if saw_text && self.depth == 0 {
            return Err(XmlError::Malformed(self.pos));
        }
        if saw_text {
            return Err(XmlError::MixedContent);
        }
        let rest = self.rest();
        if rest.is_empty() {
            if self.depth > 0 {
                return Err(XmlError::Truncated);
            }
            if self.roots != 1 {
                return Err(XmlError::NotOneRoot);
            }
            return Ok(None);
        }
        if rest.starts_with("</") {
            let name = self.end_tag()?;
            let top = self.depth.checked_sub(1).ok_or(XmlError::Mismatched)?;
            if self.open.get(top).copied() != Some(name) {
                return Err(XmlError::Mismatched);
            }
            self.depth = top;
            return Ok(Some(Node::Close { name: local(name) }));
        }
        // A start tag.
        if self.depth == 0 {
            self.roots = self.roots.saturating_add(1);
            if self.roots > 1 {
                return Err(XmlError::NotOneRoot);
            }
        }
        if self.depth >= MAX_DEPTH {
            return Err(XmlError::TooDeep);
        }
        self.advance(1);
        let name = self.name()?;
        let (attrs, empty) = self.attributes()?;
        if empty {
            return Ok(Some(Node::Leaf {
                name: local(name),
                attrs,
                text: "",
            }));
        }
        // Text up to the next markup; a leaf if that markup closes this element.
        let rest = self.rest();
        let text_len = rest.find('<').ok_or(XmlError::Truncated)?;
        let text = rest.get(..text_len).unwrap_or("");
        let after = rest.get(text_len..).unwrap_or("");
        if after.starts_with("</") {
            self.advance(text_len);
            let close = self.end_tag()?;
            if close != name {
                return Err(XmlError::Mismatched);
            }
            check_references(text)?;
            return Ok(Some(Node::Leaf {
                name: local(name),
                attrs,
                text,
            }));
        }
        self.push(name)?;
        Ok(Some(Node::Open {
            name: local(name),
            attrs,
        }))
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Node<'a>, XmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step().transpose();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

/// Checks that every `&` in `raw` starts a reference [`unescape`] knows.
fn check_references(raw: &str) -> Result<(), XmlError> {
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        let tail = rest.get(at..).unwrap_or("");
        let (_, len) = reference(tail).ok_or(XmlError::BadEntity)?;
        rest = tail.get(len..).unwrap_or("");
    }
    Ok(())
}

/// The character a reference at the start of `s` stands for, and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.get(..12).unwrap_or(s).find(';')?;
    let body = s.get(1..end)?;
    let c = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let digits = body.strip_prefix('#')?;
            let code = match digits.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => digits.parse::<u32>().ok()?,
            };
            if code == 0 {
                return None;
            }
            char::from_u32(code)?
        }
    };
    Some((c, end.saturating_add(1)))
}

/// `raw` text with its references replaced; borrowed when there are none.
pub fn unescape(raw: &str) -> Result<Cow<'_, str>, XmlError> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let tail = rest.get(at..).unwrap_or("");
        let (c, len) = reference(tail).ok_or(XmlError::BadEntity)?;
        out.push(c);
        rest = tail.get(len..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// `text` with `&`, `<`, `>`, `"` and `'` written as references, appended to `out`.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// `<name>text</name>` and a newline, the text escaped, appended to `out`.
pub fn write_leaf(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// The raw text of the first leaf whose path of local names ends with `suffix`.
pub fn find_leaf<'a>(doc: &'a str, suffix: &[&str]) -> Result<Option<&'a str>, XmlError> {
    let Some((last, parents)) = suffix.split_last() else {
        return Ok(None);
    };
    let mut reader = Reader::new(doc);
    let mut found = None;
    while let Some(node) = reader.next() {
        if let Node::Leaf { name, text, .. } = node?
            && found.is_none()
            && name == *last
            && reader.path().ends_with(parents)
        {
            found = Some(text);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    fn nodes(doc: &str) -> Result<Vec<Node<'_>>, XmlError> {
        Reader::new(doc).collect()
    }

    #[test]
    fn reads_a_soap_envelope() {
        let doc = "<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"x\" s:a='y'>\n<s:Body>\n\
                   <u:Get xmlns:u=\"z\">\n<A>1 &amp; 2</A><B/><C></C>\n</u:Get>\n</s:Body>\n\
                   </s:Envelope>\n";
        let n = nodes(doc).unwrap_or_default();
        assert_eq!(n.len(), 9);
        assert_eq!(
            n.get(3),
            Some(&Node::Leaf {
                name: "A",
                attrs: "",
                text: "1 &amp; 2"
            })
        );
        assert_eq!(unescape("1 &amp; 2 &#x41;&#66;").as_deref(), Ok("1 & 2 AB"));
        assert_eq!(find_leaf(doc, &["Get", "B"]), Ok(Some("")));
        assert_eq!(find_leaf(doc, &["Body", "A"]), Ok(None));
    }

    #[test]
    fn refuses_what_it_should() {
        assert_eq!(nodes("<a>").err(), Some(XmlError::Truncated));
        assert_eq!(nodes("<a></b>").err(), Some(XmlError::Mismatched));
        assert_eq!(nodes("<a><b></a>").err(), Some(XmlError::Mismatched));
        assert_eq!(nodes("<a/><b/>").err(), Some(XmlError::NotOneRoot));
        assert_eq!(nodes("").err(), Some(XmlError::NotOneRoot));
        assert_eq!(nodes("<a>x<b/></a>").err(), Some(XmlError::MixedContent));
        assert_eq!(nodes("<!DOCTYPE a><a/>").err(), Some(XmlError::Refused(0)));
        assert_eq!(
            nodes("<a><![CDATA[x]]></a>").err(),
            Some(XmlError::Refused(3))
        );
        assert_eq!(nodes("<a>&xxe;</a>").err(), Some(XmlError::BadEntity));
        assert_eq!(nodes("<a b=c/>").err(), Some(XmlError::Malformed(5)));
        assert_eq!(nodes("<a b='<'/>").err(), Some(XmlError::Malformed(5)));
        assert_eq!(nodes("x<a/>").err(), Some(XmlError::Malformed(1)));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(nodes(&deep).err(), Some(XmlError::TooDeep));
        let deep = "<a>".repeat(100_000);
        assert_eq!(nodes(&deep).err(), Some(XmlError::TooDeep));
    }

    #[test]
    fn comments_and_declaration_are_skipped() {
        assert_eq!(
            nodes("<?xml?><!-- c --><a/><!--d-->").map(|n| n.len()),
            Ok(1)
        );
    }

    proptest! {
        #[test]
        fn escape_unescape_round_trip(text in "\\PC{0,40}") {
            let mut out = String::new();
            escape_into(&mut out, &text);
            let doc = alloc::format!("<a>{out}</a>");
            prop_assert_eq!(find_leaf(&doc, &["a"]), Ok(Some(out.as_str())));
            let back = unescape(&out).map(|c| c.into_owned());
            prop_assert_eq!(back, Ok(text));
        }

        #[test]
        fn never_panics(doc in "[<>/a-c !?=\"'&;#x0-9-]{0,60}") {
            for node in Reader::new(&doc) {
                if node.is_err() { break }
            }
        }
    }
}
