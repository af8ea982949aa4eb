//! SOAP control: the four actions hostapd implements, with their arguments, both ways.
//!
//! | action | in | out |
//! |---|---|---|
//! | `GetDeviceInfo` | – | `NewDeviceInfo`: M1 of the access point as enrollee |
//! | `PutMessage` | `NewInMessage`: M2, M4, M6, M8 or WSC_NACK | `NewOutMessage`: M3, M5, M7, WSC_Done |
//! | `PutWLANResponse` | `NewMessage` (for the enrollee), `NewWLANEventType`, `NewWLANEventMAC` (plain text) | – |
//! | `SetSelectedRegistrar` | `NewMessage`: WSC attributes without a Message Type | – |
//!
//! Requests are written as wpa_supplicant's external registrar writes them, answers and
//! faults as hostapd writes them. A fault is HTTP 500 with a `UPnPError` code: 401
//! Invalid Action, 402 Invalid Args, 501 Action Failed, …; hostapd answers a NACK
//! (the end of a registrar's read-only run) with code 500.

use alloc::string::String;
use alloc::vec::Vec;

use crate::attr::MacAddr;

use super::http::{self, Message};
use super::url::HttpUrl;
use super::wlan_event::{WlanEventType, mac_text, parse_mac};
use super::xml::{self, Node, Reader};
use super::{SERVICE_TYPE, UpnpError, base64};

/// An action of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// `GetDeviceInfo`.
    GetDeviceInfo,
    /// `PutMessage`.
    PutMessage,
    /// `PutWLANResponse`.
    PutWlanResponse,
    /// `SetSelectedRegistrar`.
    SetSelectedRegistrar,
}

impl Action {
    /// Every action, in the service description's order.
    pub const ALL: [Action; 4] = [
        Action::GetDeviceInfo,
        Action::PutMessage,
        Action::PutWlanResponse,
        Action::SetSelectedRegistrar,
    ];

    /// Its name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Action::GetDeviceInfo => "GetDeviceInfo",
            Action::PutMessage => "PutMessage",
            Action::PutWlanResponse => "PutWLANResponse",
            Action::SetSelectedRegistrar => "SetSelectedRegistrar",
        }
    }

    /// The action called `name`.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// A control request with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GetDeviceInfo`: the registrar asks for the access point's M1.
    GetDeviceInfo,
    /// `PutMessage`: a message for the access point as enrollee.
    PutMessage {
        /// `NewInMessage`.
        message: Vec<u8>,
    },
    /// `PutWLANResponse`: a message for an enrollee the access point relays.
    PutWlanResponse {
        /// `NewMessage`.
        message: Vec<u8>,
        /// `NewWLANEventType` (2: EAP).
        kind: WlanEventType,
        /// `NewWLANEventMAC`: the enrollee.
        mac: MacAddr,
    },
    /// `SetSelectedRegistrar`: the registrar's Selected Registrar attributes.
    SetSelectedRegistrar {
        /// `NewMessage`.
        message: Vec<u8>,
    },
}

/// An action's successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `NewDeviceInfo`: M1.
    GetDeviceInfo {
        /// The access point's M1.
        device_info: Vec<u8>,
    },
    /// `NewOutMessage`.
    PutMessage {
        /// M3, M5, M7 or WSC_Done.
        message: Vec<u8>,
    },
    /// No arguments.
    PutWlanResponse,
    /// No arguments.
    SetSelectedRegistrar,
}

/// A SOAP fault with its `UPnPError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `errorCode`.
    pub code: u16,
    /// `errorDescription`.
    pub description: String,
}

/// `UPnPError` 401: the action is not one of the service's.
pub const INVALID_ACTION: u16 = 401;
/// `UPnPError` 402: missing or malformed arguments.
pub const INVALID_ARGS: u16 = 402;
/// `UPnPError` 501: the action failed.
pub const ACTION_FAILED: u16 = 501;

impl Call {
    /// Which action this is.
    pub fn action(&self) -> Action {
        match self {
            Call::GetDeviceInfo => Action::GetDeviceInfo,
            Call::PutMessage { .. } => Action::PutMessage,
            Call::PutWlanResponse { .. } => Action::PutWlanResponse,
            Call::SetSelectedRegistrar { .. } => Action::SetSelectedRegistrar,
        }
    }

    /// The HTTP request to `control`, as wpa_supplicant writes it.
    pub fn to_http(&self, control: &HttpUrl) -> String {
        let mut body = String::with_capacity(1024);
        let action = self.action().name();
        envelope_start(&mut body);
        open_action(&mut body, action);
        match self {
            Call::GetDeviceInfo => {}
            Call::PutMessage { message } => base64_arg(&mut body, "NewInMessage", message),
            Call::PutWlanResponse { message, kind, mac } => {
                base64_arg(&mut body, "NewMessage", message);
                xml::write_leaf(
                    &mut body,
                    "NewWLANEventType",
                    &alloc::format!("{}", u8::from(*kind)),
                );
                xml::write_leaf(&mut body, "NewWLANEventMAC", &mac_text(*mac));
            }
            Call::SetSelectedRegistrar { message } => base64_arg(&mut body, "NewMessage", message),
        }
        close_action(&mut body, action);
        envelope_end(&mut body);
        let mut out = alloc::format!("POST {} HTTP/1.1\r\n", control.path);
        http::header(&mut out, "Host", control.host_port());
        http::header(&mut out, "Content-Type", http::XML);
        http::padded_length(&mut out, "Content-Length", body.len());
        http::header(
            &mut out,
            "SOAPACTION",
            alloc::format!("\"{SERVICE_TYPE}#{action}\""),
        );
        http::with_body(out, &body)
    }

    /// Reads a `POST` to the control URL. The action comes from the body (and must
    /// agree with `SOAPACTION` when that names one); an unknown action is
    /// [`UpnpError::UnknownAction`], answered with [`Fault::for_error`].
    pub fn parse(message: &Message<'_>) -> Result<Self, UpnpError> {
        if !message.is_request("POST") {
            return Err(UpnpError::Unexpected("POST"));
        }
        let body = message
            .body_text()
            .ok_or(UpnpError::Invalid("SOAP body (not UTF-8)"))?;
        let args = Arguments::read(body)?;
        let action = Action::from_name(args.action).ok_or(UpnpError::UnknownAction)?;
        if let Some(header) = message.header("soapaction") {
            let named = header.trim_matches('"').rsplit_once('#').map(|(_, a)| a);
            if named.is_some_and(|n| n != args.action) {
                return Err(UpnpError::Invalid("SOAPACTION"));
            }
        }
        Ok(match action {
            Action::GetDeviceInfo => Call::GetDeviceInfo,
            Action::PutMessage => Call::PutMessage {
                message: args.base64("NewInMessage")?,
            },
            Action::PutWlanResponse => {
                let kind = args
                    .text("NewWLANEventType")?
                    .trim()
                    .parse::<u8>()
                    .map_err(|_| UpnpError::Invalid("NewWLANEventType"))?;
                let mac = parse_mac(args.text("NewWLANEventMAC")?.trim().as_bytes())
                    .ok_or(UpnpError::Invalid("NewWLANEventMAC"))?;
                Call::PutWlanResponse {
                    message: args.base64("NewMessage")?,
                    kind: WlanEventType::from(kind),
                    mac,
                }
            }
            Action::SetSelectedRegistrar => Call::SetSelectedRegistrar {
                message: args.base64("NewMessage")?,
            },
        })
    }
}

impl Reply {
    /// Which action this answers.
    pub fn action(&self) -> Action {
        match self {
            Reply::GetDeviceInfo { .. } => Action::GetDeviceInfo,
            Reply::PutMessage { .. } => Action::PutMessage,
            Reply::PutWlanResponse => Action::PutWlanResponse,
            Reply::SetSelectedRegistrar => Action::SetSelectedRegistrar,
        }
    }

    /// The `200 OK`, as hostapd writes it; `date` from [`http::date`].
    pub fn to_http(&self, date: &str) -> String {
        let mut body = String::with_capacity(1024);
        let name = alloc::format!("{}Response", self.action().name());
        envelope_start(&mut body);
        open_action(&mut body, &name);
        match self {
            Reply::GetDeviceInfo { device_info } => {
                base64_arg(&mut body, "NewDeviceInfo", device_info);
            }
            Reply::PutMessage { message } => base64_arg(&mut body, "NewOutMessage", message),
            Reply::PutWlanResponse | Reply::SetSelectedRegistrar => {}
        }
        close_action(&mut body, &name);
        envelope_end(&mut body);
        http::closing_response("200 OK", &[("Content-Type", http::XML)], &body, date)
    }

    /// Reads the answer to a call of `action`: the reply, or the fault the device sent.
    pub fn parse(action: Action, message: &Message<'_>) -> Result<Result<Self, Fault>, UpnpError> {
        let body = message
            .body_text()
            .ok_or(UpnpError::Invalid("SOAP body (not UTF-8)"))?;
        match message.status() {
            Some(200) => {}
            Some(_) => return Fault::parse(body).map(Err),
            None => return Err(UpnpError::Unexpected("an HTTP response")),
        }
        let args = Arguments::read(body)?;
        if args.action.strip_suffix("Response") != Some(action.name()) {
            return Err(UpnpError::Unexpected("the action's response"));
        }
        Ok(Ok(match action {
            Action::GetDeviceInfo => Reply::GetDeviceInfo {
                device_info: args.base64("NewDeviceInfo")?,
            },
            Action::PutMessage => Reply::PutMessage {
                message: args.base64("NewOutMessage")?,
            },
            Action::PutWlanResponse => Reply::PutWlanResponse,
            Action::SetSelectedRegistrar => Reply::SetSelectedRegistrar,
        }))
    }
}

impl Fault {
    /// A fault with hostapd's description (`Error`).
    pub fn new(code: u16) -> Self {
        Fault {
            code,
            description: String::from("Error"),
        }
    }

    /// The fault that answers a request refused with `error`: 401 for an unknown
    /// action, 402 otherwise.
    pub fn for_error(error: &UpnpError) -> Self {
        Fault::new(match error {
            UpnpError::UnknownAction => INVALID_ACTION,
            _ => INVALID_ARGS,
        })
    }

    /// The `500` answer, as hostapd writes it.
    pub fn to_http(&self, date: &str) -> String {
        let mut body = String::with_capacity(512);
        envelope_start(&mut body);
        body.push_str(
            "<s:Fault>\n<faultcode>s:Client</faultcode>\n<faultstring>UPnPError</faultstring>\n\
             <detail>\n<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">\n",
        );
        xml::write_leaf(&mut body, "errorCode", &alloc::format!("{}", self.code));
        xml::write_leaf(&mut body, "errorDescription", &self.description);
        body.push_str("</UPnPError>\n</detail>\n</s:Fault>\n");
        envelope_end(&mut body);
        http::closing_response("500 Error", &[], &body, date)
    }

    /// Reads a fault body.
    pub fn parse(body: &str) -> Result<Self, UpnpError> {
        let code = xml::find_leaf(body, &["UPnPError", "errorCode"])?
            .ok_or(UpnpError::Missing("errorCode"))?;
        let code = code
            .trim()
            .parse()
            .map_err(|_| UpnpError::Invalid("errorCode"))?;
        let description = match xml::find_leaf(body, &["UPnPError", "errorDescription"])? {
            Some(text) if text.len() <= 256 => String::from(xml::unescape(text)?.trim()),
            Some(_) => return Err(UpnpError::Invalid("errorDescription")),
            None => String::new(),
        };
        Ok(Fault { code, description })
    }
}

const ENVELOPE: &str = "<?xml version=\"1.0\"?>\n\
    <s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" \
    s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">\n<s:Body>\n";

fn envelope_start(out: &mut String) {
    out.push_str(ENVELOPE);
}

fn envelope_end(out: &mut String) {
    out.push_str("</s:Body>\n</s:Envelope>\n");
}

fn open_action(out: &mut String, name: &str) {
    out.push_str("<u:");
    out.push_str(name);
    out.push_str(" xmlns:u=\"");
    out.push_str(SERVICE_TYPE);
    out.push_str("\">\n");
}

fn close_action(out: &mut String, name: &str) {
    out.push_str("</u:");
    out.push_str(name);
    out.push_str(">\n");
}

fn base64_arg(out: &mut String, name: &str, value: &[u8]) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&base64::encode_wrapped(value));
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// The most arguments one action element may carry.
const MAX_ARGS: usize = 8;

/// The action element of an envelope (`Envelope/Body/<action>`) and its arguments.
struct Arguments<'a> {
    action: &'a str,
    args: [(&'a str, &'a str); MAX_ARGS],
    count: usize,
}

impl<'a> Arguments<'a> {
    fn read(body: &'a str) -> Result<Self, UpnpError> {
        let mut out = Arguments {
            action: "",
            args: [("", ""); MAX_ARGS],
            count: 0,
        };
        let mut reader = Reader::new(body);
        let mut saw_action = false;
        while let Some(node) = reader.next() {
            let node = node?;
            // The elements around this node (an opened element is already on the path).
            let path = match node {
                Node::Open { .. } => reader.path().split_last().map_or(&[][..], |(_, p)| p),
                _ => reader.path(),
            };
            let in_body = path == ["Envelope", "Body"];
            match node {
                Node::Open { name, .. } | Node::Leaf { name, .. } if in_body => {
                    if saw_action {
                        return Err(UpnpError::Invalid("SOAP body (two actions)"));
                    }
                    saw_action = true;
                    out.action = name;
                }
                Node::Leaf { name, text, .. }
                    if path.len() == 3 && saw_action && path.starts_with(&["Envelope", "Body"]) =>
                {
                    let slot = out
                        .args
                        .get_mut(out.count)
                        .ok_or(UpnpError::Invalid("SOAP body (too many arguments)"))?;
                    *slot = (name, text);
                    out.count = out.count.saturating_add(1);
                }
                _ => {}
            }
        }
        if !saw_action {
            return Err(UpnpError::Missing("SOAP action element"));
        }
        Ok(out)
    }

    fn raw(&self, name: &'static str) -> Result<&'a str, UpnpError> {
        self.args
            .iter()
            .take(self.count)
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or(UpnpError::Missing(name))
    }

    fn text(&self, name: &'static str) -> Result<alloc::borrow::Cow<'a, str>, UpnpError> {
        Ok(xml::unescape(self.raw(name)?)?)
    }

    fn base64(&self, name: &'static str) -> Result<Vec<u8>, UpnpError> {
        Ok(base64::decode(self.raw(name)?.as_bytes())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..500)
    }

    fn call() -> impl Strategy<Value = Call> {
        prop_oneof![
            Just(Call::GetDeviceInfo),
            bytes().prop_map(|message| Call::PutMessage { message }),
            (bytes(), any::<u8>(), any::<[u8; 6]>()).prop_map(|(message, k, m)| {
                Call::PutWlanResponse {
                    message,
                    kind: WlanEventType::from(k),
                    mac: MacAddr(m),
                }
            }),
            bytes().prop_map(|message| Call::SetSelectedRegistrar { message }),
        ]
    }

    fn reply() -> impl Strategy<Value = Reply> {
        prop_oneof![
            bytes().prop_map(|device_info| Reply::GetDeviceInfo { device_info }),
            bytes().prop_map(|message| Reply::PutMessage { message }),
            Just(Reply::PutWlanResponse),
            Just(Reply::SetSelectedRegistrar),
        ]
    }

    fn control() -> HttpUrl {
        HttpUrl::parse("http://192.168.77.1:49152/wps_control").unwrap()
    }

    #[test]
    fn unknown_actions_and_bad_arguments() {
        let req = Call::GetDeviceInfo
            .to_http(&control())
            .replace("GetDeviceInfo", "GetAPSettings");
        let m = Message::parse_whole(req.as_bytes()).unwrap();
        assert_eq!(Call::parse(&m), Err(UpnpError::UnknownAction));
        assert_eq!(Fault::for_error(&UpnpError::UnknownAction).code, 401);

        let req = Call::PutMessage {
            message: vec![1, 2, 3],
        }
        .to_http(&control())
        .replace("AQID", "A!ID");
        let m = Message::parse_whole(req.as_bytes()).unwrap();
        assert!(matches!(Call::parse(&m), Err(UpnpError::Base64(_))));

        let req = Call::PutMessage {
            message: vec![1, 2, 3],
        }
        .to_http(&control())
        .replace("#PutMessage", "#GetDeviceInfo");
        let m = Message::parse_whole(req.as_bytes()).unwrap();
        assert_eq!(Call::parse(&m), Err(UpnpError::Invalid("SOAPACTION")));

        let req = Call::GetDeviceInfo
            .to_http(&control())
            .replace("POST", "GET");
        let m = Message::parse_whole(req.as_bytes()).unwrap();
        assert_eq!(Call::parse(&m), Err(UpnpError::Unexpected("POST")));
    }

    proptest! {
        #[test]
        fn call_round_trip(call in call()) {
            let text = call.to_http(&control());
            let m = Message::parse_whole(text.as_bytes()).unwrap();
            prop_assert_eq!(Call::parse(&m), Ok(call));
        }

        #[test]
        fn reply_round_trip(reply in reply(), secs in 0u64..5_000_000_000) {
            let text = reply.to_http(&http::date(secs));
            let m = Message::parse_whole(text.as_bytes()).unwrap();
            prop_assert_eq!(Reply::parse(reply.action(), &m), Ok(Ok(reply)));
        }

        #[test]
        fn fault_round_trip(code: u16, description in "[ -~]{0,40}") {
            let fault = Fault { code, description: String::from(description.trim()) };
            let text = fault.to_http("Thu, 01 Jan 1970 00:00:00 GMT");
            let m = Message::parse_whole(text.as_bytes()).unwrap();
            prop_assert_eq!(Reply::parse(Action::PutMessage, &m), Ok(Err(fault)));
        }

        #[test]
        fn never_panics(body in "[<>/a-zA-Z !?=\"':&;#-]{0,100}") {
            let req = alloc::format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len());
            let m = Message::parse_whole(req.as_bytes()).unwrap();
            let _ = Call::parse(&m);
            let _ = Reply::parse(Action::GetDeviceInfo, &m);
        }
    }
}
