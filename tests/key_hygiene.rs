//! No freed heap memory still holds the session key: through the C ABI, a
//! login, a getWeRunData sealed under the key, the backend decrypt helpers, a
//! replacing login, a logout and a context free. The test binary's allocator
//! scans every block as it is freed for the key's 16 bytes.
//!
//! What this cannot see: copies on the stack (AES round keys live there) and
//! memory the C caller owns, such as its own base64 string of the key.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::*;

/// The key under watch: 16 bytes that appear nowhere else in the process.
const WATCHED_KEY: [u8; 16] = [
    0xA7, 0x3C, 0x91, 0x5E, 0x0B, 0xD2, 0x68, 0xF4, 0x1A, 0xC9, 0x7D, 0x36, 0xE0, 0x55, 0xB8, 0x2F,
];
/// WATCHED_KEY in base64, as the host and the backend pass it.
const WATCHED_KEY_BASE64: &str = "pzyRXgvSaPQayX024FW4Lw==";

struct ScanningAllocator;

static SCANNING: AtomicBool = AtomicBool::new(false);
static FREED_WITH_KEY: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; dealloc
// only reads the block it is about to free, which is still live.
unsafe impl GlobalAlloc for ScanningAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if SCANNING.load(Ordering::SeqCst) && layout.size() >= WATCHED_KEY.len() {
            // SAFETY: the block is live and `layout.size()` bytes long until
            // System.dealloc below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block
                .windows(WATCHED_KEY.len())
                .any(|window| window == WATCHED_KEY)
            {
                FREED_WITH_KEY.fetch_add(1, Ordering::SeqCst);
            }
        }
        // SAFETY: forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
    // realloc keeps GlobalAlloc's default, which frees through dealloc.
}

#[global_allocator]
static ALLOCATOR: ScanningAllocator = ScanningAllocator;

#[track_caller]
fn assert_no_freed_block_held_the_key(after: &str) {
    assert_eq!(
        FREED_WITH_KEY.load(Ordering::SeqCst),
        0,
        "a block freed after {after} still held the session key"
    );
}

#[test]
fn the_session_key_is_zeroized_before_its_memory_is_freed() {
    assert_eq!(
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, WATCHED_KEY),
        WATCHED_KEY_BASE64
    );
    SCANNING.store(true, Ordering::SeqCst);

    // The scan is real: a block freed with the key in it is counted.
    drop(WATCHED_KEY.to_vec());
    assert_eq!(
        FREED_WITH_KEY.swap(0, Ordering::SeqCst),
        1,
        "the scan missed a freed copy of the key"
    );

    let host = HostState::new();
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login, Hook::GetSteps]));
    ctx.log_in(host, Some(WATCHED_KEY_BASE64), 0);
    assert_no_freed_block_held_the_key("a login");

    let recorder = Recorder::new();
    ctx.start(Api::GetWeRunData, recorder);
    let request = host.only_request(Hook::GetSteps);
    assert_eq!(answer_steps(request, &[step(unix_now(), 4321)]), WERUN_OK);
    let outcome = recorder.outcome();
    let (encrypted_data, iv) = outcome.assert_we_run_data();
    assert_no_freed_block_held_the_key("sealing under the key");

    let data = decrypt_we_run_data(WATCHED_KEY_BASE64, encrypted_data, iv).unwrap();
    assert_eq!(data.steps.last().map(|day| day.step), Some(4321));
    open_data_decrypt(WATCHED_KEY_BASE64, encrypted_data, iv);
    open_data_encrypt(WATCHED_KEY_BASE64, "{}");
    assert_no_freed_block_held_the_key("the decrypt and encrypt helpers");

    ctx.log_in(host, Some(SESSION_KEY), 0);
    assert_no_freed_block_held_the_key("a login that replaced the session");

    ctx.log_in(host, Some(WATCHED_KEY_BASE64), 0);
    ctx.free();
    assert_no_freed_block_held_the_key("freeing a context with a live session");

    // Logged out, then freed: nothing may be left where the session was.
    let ctx = Ctx::with_host(&host.werun_host(&[Hook::Login]));
    ctx.log_in(host, Some(WATCHED_KEY_BASE64), 0);
    ctx.logout();
    assert_no_freed_block_held_the_key("a logout");
    ctx.free();
    assert_no_freed_block_held_the_key("freeing a context after a logout");
    SCANNING.store(false, Ordering::SeqCst);
}
