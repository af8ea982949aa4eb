//! Generates a dynamic PIN, shows how it is displayed and checked, and what a typo does.
//!
//! Run with `cargo run --example pin`.

use wps::pin::{DevicePassword, Pin, is_valid};

fn main() {
    // A fresh display PIN from the OS-seeded thread RNG (a CryptoRng).
    let pin = Pin::random(&mut rand::rng());
    println!("dynamic PIN:  {pin}  (bare: {})", pin.as_str());

    let value: u32 = pin.as_str().parse().expect("a PIN is all digits");
    println!("checksum ok:  {}", is_valid(value));

    let password = DevicePassword::from(&pin);
    let (first, second) = password.halves();
    println!("PSK halves:   {} + {} bytes", first.len(), second.len());

    match Pin::parse("1234-5670") {
        Ok(p) => println!("parse \"1234-5670\" -> {} ({p:?})", p.as_str()),
        Err(e) => println!("parse \"1234-5670\" failed: {e}"),
    }
    match Pin::parse("1234-5678") {
        Ok(p) => println!("parse \"1234-5678\" -> {}", p.as_str()),
        Err(e) => println!("parse \"1234-5678\" -> error: {e}"),
    }
}
