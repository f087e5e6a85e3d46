//! werun: a real `getWeRunData` (WeChat Run steps of the last 31 days), with
//! the `login` and `checkSession` it depends on, for Taro apps on HarmonyOS
//! and React Native.
//!
//! - [`core`]: the state machine, as a safe Rust API (for Rust hosts such as
//!   ohos-rs modules).
//! - [`open_data`]: WeChat's open-data crypto, both directions.
//! - [`ffi`]: the C ABI declared in `include/werun.h`.

pub mod core;
pub mod ffi;
pub mod open_data;
#[cfg(feature = "testing")]
pub mod testing;
