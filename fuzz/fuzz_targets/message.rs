//! `Message::parse` on arbitrary bytes; whatever parses must emit and parse back to itself
//! (parse(emit(x)) == x).

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptp_wire::{Message, MessageView};

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = Message::parse(data) else {
        return;
    };
    // The view accepts everything the full parser accepts.
    let view = MessageView::new(data).expect("view rejects a message that parses");
    let bytes = msg.to_bytes().expect("a parsed message must emit");
    assert_eq!(bytes.len(), msg.buffer_len());
    // TLVs fill the message up to messageLength, so the same length goes out again.
    assert_eq!(bytes.len(), view.as_bytes().len(), "emit changed the length");
    assert_eq!(Message::parse(&bytes).as_ref(), Ok(&msg), "parse(emit(x)) != x");
    // Emitting again gives the same bytes (reserved fields are already zero).
    assert_eq!(Message::parse(&bytes).unwrap().to_bytes().unwrap(), bytes);
});
