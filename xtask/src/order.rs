//! The order of the bundle's functions, chosen so that gzip finds each function's likeness
//! within its 32 KB window.
//!
//! Much of the module is generic code compiled once per type (a `Deserialize` per wire type, a
//! view's build and rebuild per element type), and such siblings differ in a few constants. In
//! the linker's order they lie far apart and gzip sees each afresh; next to each other, the second
//! costs a fraction of the first. `wasm-opt --reorder-functions-by-name` can lay out the
//! functions in any order we name, so the build names each function by its place in a chain
//! built here:
//!
//! 1. every optimised body gets a MinHash signature of its 4-byte shingles, which estimates how
//!    much two bodies share;
//! 2. the chain starts at the largest body and goes on, each time, to the one among the
//!    [`CANDIDATES`] most like one of the last three whose deflate size, with the previous 32 KB
//!    as the preset dictionary, is the smallest for its length.

use std::collections::HashMap;

use anyhow::{Context, Result};
use flate2::{Compress, Compression, FlushCompress};
use wasmparser::{KnownCustom, Name, Parser, Payload};

/// How many of the most alike bodies are tried with deflate at each step of the chain.
const CANDIDATES: usize = 32;
/// The number of hash functions of a MinHash signature.
const SIGNATURE: usize = 64;
/// Deflate's window: what gzip can refer back to.
const WINDOW: usize = 32 * 1024;

/// Each named function of an optimised module (built with its names) and its place in the
/// order that compresses best, from 0.
pub fn ranks(optimised: &[u8]) -> Result<HashMap<String, usize>> {
    let (bodies, names) = bodies_and_names(optimised)?;
    let order = chain(&bodies);
    Ok(order
        .into_iter()
        .enumerate()
        .filter_map(|(rank, body)| names.get(&body).map(|name| (name.clone(), rank)))
        .collect())
}

/// A module's code bodies, in order, and the names of those that have one, by body.
type Bodies<'a> = (Vec<&'a [u8]>, HashMap<usize, String>);

/// The code bodies of a module and their names.
fn bodies_and_names(module: &[u8]) -> Result<Bodies<'_>> {
    let mut imported = 0;
    let mut bodies = Vec::new();
    let mut names = HashMap::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload.context("the optimised module does not parse")? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(&module[body.range()]),
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                if let Some(body) = (naming.index as usize).checked_sub(imported) {
                                    names.insert(body, naming.name.to_owned());
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok((bodies, names))
}

/// The order of `bodies` as a chain of neighbours that deflate well together.
fn chain(bodies: &[&[u8]]) -> Vec<usize> {
    let signatures: Vec<[u32; SIGNATURE]> = bodies.iter().map(|body| signature(body)).collect();
    let mut placed = vec![false; bodies.len()];
    let mut order = Vec::with_capacity(bodies.len());
    let mut window: Vec<u8> = Vec::with_capacity(2 * WINDOW);
    let mut deflate = Compress::new(Compression::best(), false);
    let mut out = vec![0u8; 4 * WINDOW];
    let Some(mut current) = (0..bodies.len()).max_by_key(|&body| (bodies[body].len(), body)) else {
        return order;
    };
    loop {
        placed[current] = true;
        order.push(current);
        window.extend_from_slice(bodies[current]);
        if window.len() > WINDOW {
            window.drain(..window.len() - WINDOW);
        }
        if order.len() == bodies.len() {
            return order;
        }
        // Likeness to the last body, or (a little discounted) to one of the two before it,
        // which are still in the window.
        let recent: Vec<(usize, &[u32; SIGNATURE])> = order
            .iter()
            .rev()
            .take(3)
            .enumerate()
            .map(|(age, &body)| (if age == 0 { 10 } else { 9 }, &signatures[body]))
            .collect();
        let mut alike: Vec<(usize, usize)> = (0..bodies.len())
            .filter(|&body| !placed[body])
            .map(|body| {
                let likeness = recent
                    .iter()
                    .map(|(weight, signature)| weight * shared_hashes(signature, &signatures[body]))
                    .max()
                    .unwrap_or(0);
                (likeness, body)
            })
            .collect();
        let tried = CANDIDATES.min(alike.len());
        alike.select_nth_unstable_by(tried - 1, |a, b| b.cmp(a));
        alike.truncate(tried);
        alike.sort_unstable_by(|a, b| b.cmp(a));
        current = alike
            .iter()
            .map(|&(_, body)| {
                let cost = deflated_after(&mut deflate, &mut out, &window, bodies[body]);
                // Bytes out per byte in, compared without division: a / b < c / d.
                ((cost + 2) as u64, (bodies[body].len() + 2) as u64, body)
            })
            .min_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)).then(a.2.cmp(&b.2)))
            .map(|(_, _, body)| body)
            .expect("a candidate is left while bodies remain");
    }
}

/// The deflated size of `body` when the compressor has just seen `window`.
fn deflated_after(deflate: &mut Compress, out: &mut [u8], window: &[u8], body: &[u8]) -> usize {
    deflate.reset();
    if !window.is_empty() {
        deflate
            .set_dictionary(window)
            .expect("a raw deflate stream takes a dictionary before its first byte");
    }
    let before = deflate.total_out();
    deflate
        .compress(body, out, FlushCompress::Finish)
        .expect("deflate into a buffer four times the window");
    (deflate.total_out() - before) as usize
}

/// How many of two signatures' hash minimums agree: an estimate of the bodies' Jaccard
/// likeness, times [`SIGNATURE`].
fn shared_hashes(a: &[u32; SIGNATURE], b: &[u32; SIGNATURE]) -> usize {
    a.iter().zip(b).filter(|(a, b)| a == b).count()
}

/// The MinHash signature of a body's 4-byte shingles: for each of [`SIGNATURE`] hash functions,
/// the least hash over the shingles.
fn signature(body: &[u8]) -> [u32; SIGNATURE] {
    let mut minimums = [u32::MAX; SIGNATURE];
    let shingle = |window: &[u8]| {
        let mut bytes = [0u8; 4];
        bytes[..window.len()].copy_from_slice(window);
        u32::from_le_bytes(bytes)
    };
    let shingles = body.windows(4.min(body.len()).max(1)).map(shingle);
    for value in shingles {
        for (index, minimum) in minimums.iter_mut().enumerate() {
            let hash = mix(u64::from(value) ^ SEEDS[index]);
            *minimum = (*minimum).min(hash);
        }
    }
    minimums
}

/// SplitMix64's finaliser, folded to 32 bits: a good hash of a 64-bit value.
fn mix(mut x: u64) -> u32 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) as u32
}

/// One seed per hash function: SplitMix64's sequence from a fixed start, so that every build
/// orders the same module the same way.
const SEEDS: [u64; SIGNATURE] = {
    let mut seeds = [0u64; SIGNATURE];
    let mut state: u64 = 0x5265_676c_616d_656e;
    let mut index = 0;
    while index < SIGNATURE {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[index] = z ^ (z >> 31);
        index += 1;
    }
    seeds
};

/// Renames every function of `module` to its rank (unranked ones after all ranked ones, by
/// their own name), so that `--reorder-functions-by-name` lays them out in that order.
pub fn rename(module: &mut walrus::Module, ranks: &HashMap<String, usize>) {
    for function in module.funcs.iter_mut() {
        let name = function.name.clone().unwrap_or_default();
        let key = match ranks.get(&name) {
            Some(rank) => format!("{rank:06}"),
            None => "999999".to_owned(),
        };
        function.name = Some(format!("{key} {name}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alike_bodies_end_up_next_to_each_other() {
        let a: Vec<u8> = (0..600u32).map(|i| (i * 7 % 251) as u8).collect();
        let b: Vec<u8> = (0..600u32).map(|i| (i * 13 % 241) as u8).collect();
        let mut a2 = a.clone();
        a2[300] ^= 0xff;
        let mut b2 = b.clone();
        b2[10] ^= 0xff;
        let bodies: Vec<&[u8]> = vec![&a, &b, &a2, &b2];
        let order = chain(&bodies);
        let place = |body: usize| order.iter().position(|&b| b == body).unwrap();
        assert_eq!(order.len(), 4);
        assert_eq!(place(0).abs_diff(place(2)), 1, "{order:?}");
        assert_eq!(place(1).abs_diff(place(3)), 1, "{order:?}");
    }

    #[test]
    fn signatures_estimate_likeness() {
        let a: Vec<u8> = (0..4000u32).map(|i| (i * 31 % 253) as u8).collect();
        let mut near = a.clone();
        near[2000] ^= 1;
        let far: Vec<u8> = (0..4000u32).map(|i| (i * 17 % 239) as u8 ^ 0x55).collect();
        let (sa, sn, sf) = (signature(&a), signature(&near), signature(&far));
        assert!(shared_hashes(&sa, &sn) > SIGNATURE * 3 / 4);
        assert!(shared_hashes(&sa, &sf) < SIGNATURE / 4);
        assert_eq!(shared_hashes(&sa, &sa), SIGNATURE);
    }
}
