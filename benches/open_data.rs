//! The open-data crypto, with the bare cipher as the floor: sealing a 31-day
//! answer (normalise, JSON, AES-CBC, base64), decrypting and parsing one
//! (on one line, and wrapped as MIME wraps base64),
//! the AES-128-CBC decrypt of the same bytes alone, and normalisation
//! against input size (1 to 100 000 samples, which must scale linearly).

use aes::Aes128;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use werun::open_data::{self, SessionKey, StepSample, StepWindowPlaintext, normalize_step_window};

const APPID: &str = "wx4f4bc4dec97d474b";
const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const NOW: i64 = 1_764_400_000;

/// One sample a day for the last 31 days, as a host reading daily totals gives.
fn thirty_one_days() -> Vec<StepSample> {
    (0..31)
        .map(|day| StepSample {
            timestamp: NOW - day * 86_400,
            step: 4_000 + day * 97,
        })
        .collect()
}

fn sealed_payload() -> (String, String) {
    let plaintext = StepWindowPlaintext::new(thirty_one_days(), NOW, 480, APPID).unwrap();
    let sealed = plaintext
        .seal(&SessionKey::from_base64(KEY).unwrap())
        .unwrap();
    (sealed.encrypted_data, sealed.iv)
}

fn open_data_benches(c: &mut Criterion) {
    let samples = thirty_one_days();
    let key = SessionKey::from_base64(KEY).unwrap();
    c.bench_function(
        "seal a 31-day answer (normalise, JSON, AES-CBC, base64)",
        |b| {
            b.iter(|| {
                let samples = black_box(&samples).iter().copied();
                let plaintext = StepWindowPlaintext::new(samples, NOW, 480, APPID).unwrap();
                plaintext.seal(&key).unwrap()
            })
        },
    );

    let (encrypted_data, iv) = sealed_payload();
    c.bench_function("decrypt and parse a 31-day payload", |b| {
        b.iter(|| {
            open_data::decrypt_we_run_data(KEY, black_box(&encrypted_data), &iv, APPID).unwrap()
        })
    });

    // The same payload as MIME wraps it (76 columns, "\r\n"): what a backend
    // pays for whitespace, which clean input never pays.
    let wrapped: String = encrypted_data
        .as_bytes()
        .chunks(76)
        .map(|line| format!("{}\r\n", std::str::from_utf8(line).unwrap()))
        .collect();
    c.bench_function("decrypt and parse a 31-day payload, MIME-wrapped", |b| {
        b.iter(|| open_data::decrypt_we_run_data(KEY, black_box(&wrapped), &iv, APPID).unwrap())
    });

    let key_bytes: [u8; 16] = STANDARD.decode(KEY).unwrap().try_into().unwrap();
    let iv_bytes: [u8; 16] = STANDARD.decode(&iv).unwrap().try_into().unwrap();
    let ciphertext = STANDARD.decode(&encrypted_data).unwrap();
    c.bench_function("floor: AES-128-CBC decrypt of the same bytes", |b| {
        b.iter(|| {
            cbc::Decryptor::<Aes128>::new(&key_bytes.into(), &iv_bytes.into())
                .decrypt_padded_vec::<Pkcs7>(black_box(&ciphertext))
                .unwrap()
        })
    });

    let mut group = c.benchmark_group("normalise samples");
    for count in [1usize, 100, 10_000, 100_000] {
        let samples: Vec<StepSample> = (0..count)
            .map(|i| StepSample {
                timestamp: NOW - (i as i64 % 31) * 86_400 - (i as i64 % 3_600),
                step: 3,
            })
            .collect();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &samples,
            |b, samples| {
                b.iter(|| {
                    normalize_step_window(black_box(samples).iter().copied(), NOW, 480).unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, open_data_benches);
criterion_main!(benches);
