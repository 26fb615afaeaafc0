//! Moves that the compiler wrote out word by word become one `memory.copy`.
//!
//! Rust moves values of a few words (a view's state, an erased child, a `String`) all the time,
//! and LLVM writes each small move out as a `load`/`store` pair per word: `local.get dst;
//! local.get src; i64.load offset=x; i64.store offset=y`, about ten bytes for every eight
//! moved. The bundle's view code is a quarter such pairs. A run of pairs that copies one
//! contiguous range from one pointer to another costs about fifteen bytes as a `memory.copy`,
//! whatever its length, and two 4-byte pairs are one 8-byte pair.
//!
//! The rewrite is exact because of where such runs come from. A pair is a load consumed at once
//! by the store after it, so LLVM placed each load after the previous store; it does that only
//! for copies it knows do not overlap (a `memcpy`, or two distinct places), and for ranges that
//! do not overlap copying word by word and copying at once are the same. Runs from one pointer to
//! itself are rewritten only when their two ranges are apart.

use std::ops::Range;

use anyhow::{Context, Result};
use wasm_encoder::{CodeSection, Encode, Instruction, MemArg, Module, RawSection};
use wasmparser::{BinaryReader, CodeSectionReader, Operator, OperatorsReader, Parser};

/// The code section's id.
const CODE: u8 = 10;

/// A module with its copies rewritten, and how many runs of how many pairs were rewritten.
pub struct Rewritten {
    pub module: Vec<u8>,
    pub runs: usize,
    pub pairs: usize,
}

/// Rewrites every run of two or more load/store pairs that copies one contiguous range.
pub fn rewrite(module: &[u8]) -> Result<Rewritten> {
    let mut out = Module::new();
    let mut runs = 0;
    let mut pairs = 0;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.context("the module does not parse")?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        if id != CODE {
            out.section(&RawSection {
                id,
                data: &module[range],
            });
            continue;
        }
        let mut code = CodeSection::new();
        let reader =
            CodeSectionReader::new(BinaryReader::new(&module[range.clone()], range.start))?;
        for body in reader {
            let body = body?;
            let operators = body.get_operators_reader()?;
            let instructions = operators.original_position()..body.range().end;
            let mut rewritten = module[body.range().start..instructions.start].to_vec();
            let (code_runs, code_pairs) =
                rewrite_code(module, instructions, operators, &mut rewritten)?;
            runs += code_runs;
            pairs += code_pairs;
            code.raw(&rewritten);
        }
        out.section(&code);
    }
    Ok(Rewritten {
        module: out.finish(),
        runs,
        pairs,
    })
}

/// One `local.get dst; local.get src; load offset=from; store offset=to` of `width` bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    dst: u32,
    src: u32,
    from: u64,
    to: u64,
    width: u64,
    align: u32,
}

/// Rewrites the runs in one function's code (`module[code]`), appending it to `out`.
fn rewrite_code<'a>(
    module: &[u8],
    code: Range<usize>,
    mut reader: OperatorsReader<'a>,
    out: &mut Vec<u8>,
) -> Result<(usize, usize)> {
    let mut operators = Vec::new();
    while !reader.eof() {
        let (operator, start) = reader.read_with_offset()?;
        operators.push((start, operator));
    }
    let end_of = |index: usize| {
        operators
            .get(index)
            .map_or(code.end, |(start, _): &(usize, Operator)| *start)
    };
    let mut runs = 0;
    let mut pairs = 0;
    let mut copied = code.start;
    let mut index = 0;
    while index < operators.len() {
        let run = run_at(&operators, index);
        if run.len() < 2 {
            index += 1;
            continue;
        }
        out.extend_from_slice(&module[copied..operators[index].0]);
        encode(&run, out);
        runs += 1;
        pairs += run.len();
        index += 4 * run.len();
        copied = end_of(index);
    }
    out.extend_from_slice(&module[copied..code.end]);
    Ok((runs, pairs))
}

/// The longest run of pairs starting at `index` that copies one contiguous range.
fn run_at(operators: &[(usize, Operator)], index: usize) -> Vec<Pair> {
    let mut run: Vec<Pair> = Vec::new();
    while let Some(pair) = pair_at(operators, index + 4 * run.len()) {
        if let Some(first) = run.first()
            && (pair.dst != first.dst
                || pair.src != first.src
                || pair.to.wrapping_sub(pair.from) != first.to.wrapping_sub(first.from))
        {
            break;
        }
        run.push(pair);
    }
    while run.len() >= 2 && !contiguous(&run) {
        run.pop();
    }
    run
}

/// The pair that starts at `index`, if one does.
fn pair_at(operators: &[(usize, Operator)], index: usize) -> Option<Pair> {
    let [(_, dst), (_, src), (_, load), (_, store)] = operators.get(index..index + 4)? else {
        return None;
    };
    let (Operator::LocalGet { local_index: dst }, Operator::LocalGet { local_index: src }) =
        (dst, src)
    else {
        return None;
    };
    let (width, from, to) = match (load, store) {
        (Operator::I64Load { memarg: from }, Operator::I64Store { memarg: to }) => (8, from, to),
        (Operator::I32Load { memarg: from }, Operator::I32Store { memarg: to }) => (4, from, to),
        (Operator::I32Load16U { memarg: from }, Operator::I32Store16 { memarg: to }) => {
            (2, from, to)
        }
        (Operator::I32Load8U { memarg: from }, Operator::I32Store8 { memarg: to }) => (1, from, to),
        _ => return None,
    };
    (from.memory == 0 && to.memory == 0).then_some(Pair {
        dst: *dst,
        src: *src,
        from: from.offset,
        to: to.offset,
        width,
        align: from.align.min(to.align).into(),
    })
}

/// Whether a run's loads read one range without gaps or overlaps, and its stores write a range
/// apart from it when both go through one pointer.
fn contiguous(run: &[Pair]) -> bool {
    let mut spans: Vec<(u64, u64)> = run.iter().map(|pair| (pair.from, pair.width)).collect();
    spans.sort_unstable();
    let start = spans[0].0;
    let mut next = start;
    for (from, width) in spans {
        if from != next {
            return false;
        }
        next = from + width;
    }
    let length = next - start;
    let to = start.wrapping_add(run[0].to.wrapping_sub(run[0].from));
    run[0].dst != run[0].src || to >= start + length || to + length <= start
}

/// Writes a contiguous run as one load and store when it fits a single one, else as
/// `memory.copy`.
fn encode(run: &[Pair], out: &mut Vec<u8>) {
    let from = run.iter().map(|pair| pair.from).min().unwrap_or(0);
    let length: u64 = run.iter().map(|pair| pair.width).sum();
    let to = from.wrapping_add(run[0].to.wrapping_sub(run[0].from));
    let (dst, src) = (run[0].dst, run[0].src);
    let single = |offset: u64| MemArg {
        offset,
        align: run
            .iter()
            .map(|pair| pair.align)
            .min()
            .unwrap_or(0)
            .min(length.trailing_zeros()),
        memory_index: 0,
    };
    let instructions = match length {
        8 => vec![
            Instruction::LocalGet(dst),
            Instruction::LocalGet(src),
            Instruction::I64Load(single(from)),
            Instruction::I64Store(single(to)),
        ],
        4 => vec![
            Instruction::LocalGet(dst),
            Instruction::LocalGet(src),
            Instruction::I32Load(single(from)),
            Instruction::I32Store(single(to)),
        ],
        2 => vec![
            Instruction::LocalGet(dst),
            Instruction::LocalGet(src),
            Instruction::I32Load16U(single(from)),
            Instruction::I32Store16(single(to)),
        ],
        _ => {
            let mut copy = vec![Instruction::LocalGet(dst)];
            if to != 0 {
                copy.extend([Instruction::I32Const(to as u32 as i32), Instruction::I32Add]);
            }
            copy.push(Instruction::LocalGet(src));
            if from != 0 {
                copy.extend([
                    Instruction::I32Const(from as u32 as i32),
                    Instruction::I32Add,
                ]);
            }
            copy.extend([
                Instruction::I32Const(length as i32),
                Instruction::MemoryCopy {
                    src_mem: 0,
                    dst_mem: 0,
                },
            ]);
            copy
        }
    };
    for instruction in instructions {
        instruction.encode(out);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use wasm_encoder::{
        CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, MemArg,
        MemorySection, MemoryType, Module, TypeSection, ValType,
    };
    use wasmparser::{Operator, Parser, Payload, Validator};

    use super::rewrite;

    /// A memory section of one page.
    pub(crate) fn one_page() -> MemorySection {
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        memories
    }

    /// A module whose `copy(dst, src)` runs `body`, with one page of memory.
    fn module(body: &[Instruction]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32, ValType::I32], []);
        let mut functions = FunctionSection::new();
        functions.function(0);
        let memories = one_page();
        let mut exports = ExportSection::new();
        exports.export("copy", ExportKind::Func, 0);
        exports.export("memory", ExportKind::Memory, 0);
        let mut function = Function::new([]);
        for instruction in body {
            function.instruction(instruction);
        }
        function.instruction(&Instruction::End);
        let mut code = CodeSection::new();
        code.function(&function);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&functions)
            .section(&memories)
            .section(&exports)
            .section(&code);
        module.finish()
    }

    /// `local.get dst; local.get src; load offset=from; store offset=to` of `width` bytes.
    fn pair(width: u32, dst: u32, src: u32, from: u64, to: u64) -> Vec<Instruction<'static>> {
        let memarg = |offset| MemArg {
            offset,
            align: width.trailing_zeros().min(2),
            memory_index: 0,
        };
        let (load, store) = match width {
            8 => (
                Instruction::I64Load(memarg(from)),
                Instruction::I64Store(memarg(to)),
            ),
            4 => (
                Instruction::I32Load(memarg(from)),
                Instruction::I32Store(memarg(to)),
            ),
            2 => (
                Instruction::I32Load16U(memarg(from)),
                Instruction::I32Store16(memarg(to)),
            ),
            _ => (
                Instruction::I32Load8U(memarg(from)),
                Instruction::I32Store8(memarg(to)),
            ),
        };
        vec![
            Instruction::LocalGet(dst),
            Instruction::LocalGet(src),
            load,
            store,
        ]
    }

    /// The first 512 bytes of memory, filled with a pattern, after `copy(dst, src)`.
    fn run(module: &[u8], dst: i32, src: i32) -> Vec<u8> {
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, module).expect("the module compiles");
        let mut store = wasmi::Store::new(&engine, ());
        let instance = wasmi::Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("the module instantiates");
        let memory = instance.get_memory(&store, "memory").expect("a memory");
        memory.data_mut(&mut store)[..512].copy_from_slice(&pattern());
        instance
            .get_typed_func::<(i32, i32), ()>(&store, "copy")
            .expect("copy(dst, src)")
            .call(&mut store, (dst, src))
            .expect("copy runs");
        memory.data(&store)[..512].to_vec()
    }

    /// What memory holds before a copy: no two neighbouring bytes alike.
    fn pattern() -> Vec<u8> {
        (0..512).map(|index| (index * 7 + 3) as u8).collect()
    }

    /// The names of the memory operators in a module's code.
    fn memory_operators(module: &[u8]) -> Vec<&'static str> {
        Validator::new()
            .validate_all(module)
            .expect("the module is valid");
        let mut operators = Vec::new();
        for payload in Parser::new(0).parse_all(module) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut reader = body.get_operators_reader().unwrap();
                while !reader.eof() {
                    operators.push(match reader.read().unwrap() {
                        Operator::MemoryCopy { .. } => "memory.copy",
                        Operator::I64Load { .. } => "i64.load",
                        Operator::I32Load { .. } => "i32.load",
                        Operator::I32Load16U { .. } => "i32.load16_u",
                        Operator::I32Load8U { .. } => "i32.load8_u",
                        _ => continue,
                    });
                }
            }
        }
        operators
    }

    /// Asserts that the rewritten module has `expected` memory operators and copies exactly
    /// what the original does, for each (dst, src).
    fn check(body: Vec<Vec<Instruction<'static>>>, expected: &[&str], calls: &[(i32, i32)]) {
        let original = module(&body.concat());
        let rewritten = rewrite(&original).expect("the module rewrites");
        assert_eq!(memory_operators(&rewritten.module), expected);
        for &(dst, src) in calls {
            let before = run(&original, dst, src);
            assert_ne!(before, pattern(), "copy({dst}, {src}) changes memory");
            assert_eq!(
                run(&rewritten.module, dst, src),
                before,
                "copy({dst}, {src})"
            );
        }
    }

    #[test]
    fn a_run_of_words_in_any_order_becomes_one_copy() {
        check(
            vec![
                pair(8, 0, 1, 40, 64),
                pair(8, 0, 1, 32, 56),
                pair(8, 0, 1, 24, 48),
                pair(8, 0, 1, 16, 40),
                pair(8, 0, 1, 48, 72),
                pair(4, 0, 1, 56, 80),
                pair(2, 0, 1, 60, 84),
                pair(1, 0, 1, 62, 86),
            ],
            &["memory.copy"],
            &[(0, 200), (300, 100), (8, 96)],
        );
    }

    #[test]
    fn two_halves_become_one_word() {
        check(
            vec![pair(4, 0, 1, 4, 20), pair(4, 0, 1, 0, 16)],
            &["i64.load"],
            &[(0, 200), (100, 300)],
        );
        check(
            vec![pair(2, 0, 1, 0, 8), pair(2, 0, 1, 2, 10)],
            &["i32.load"],
            &[(0, 200)],
        );
    }

    #[test]
    fn a_run_within_one_place_is_rewritten_only_when_its_ranges_are_apart() {
        check(
            vec![pair(8, 1, 1, 0, 16), pair(8, 1, 1, 8, 24)],
            &["memory.copy"],
            &[(0, 100)],
        );
        // Copying 0..16 to 8..24 word by word repeats the first word: left as it is.
        check(
            vec![pair(8, 1, 1, 0, 8), pair(8, 1, 1, 8, 16)],
            &["i64.load", "i64.load"],
            &[(0, 100)],
        );
    }

    #[test]
    fn pairs_that_are_not_one_range_stay_pairs() {
        // A gap between the words.
        check(
            vec![pair(8, 0, 1, 0, 32), pair(8, 0, 1, 16, 48)],
            &["i64.load", "i64.load"],
            &[(0, 200)],
        );
        // Each word moves by a different distance.
        check(
            vec![pair(8, 0, 1, 0, 32), pair(8, 0, 1, 8, 48)],
            &["i64.load", "i64.load"],
            &[(0, 200)],
        );
        // From two places.
        check(
            vec![pair(8, 0, 1, 0, 32), pair(8, 1, 0, 8, 40)],
            &["i64.load", "i64.load"],
            &[(0, 200)],
        );
        // A single word.
        check(vec![pair(8, 0, 1, 0, 32)], &["i64.load"], &[(0, 200)]);
    }

    #[test]
    fn a_run_stops_where_the_range_would_break() {
        check(
            vec![
                pair(8, 0, 1, 0, 32),
                pair(8, 0, 1, 8, 40),
                pair(8, 0, 1, 24, 56),
            ],
            &["memory.copy", "i64.load"],
            &[(0, 200), (64, 0)],
        );
    }
}
