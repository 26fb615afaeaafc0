//! Short names for what the glue and the module hand each other.
//!
//! wasm-bindgen names each of the module's imports after the function it binds and a 16-digit
//! hash (`__wbg_boolean_get_4f1baf9a00be3c74`), and some exports after a closure's whole type.
//! Both files carry every name, and the hashes are digits gzip cannot shorten: some 230 imports
//! cost 4 KB gzipped in the module and 3 KB in the glue. Like terser's mangling of the glue's own
//! names, the build renames them to a few letters in both files at once.
//!
//! The glue must hold each import name once, as a key of the imports object (`,name:` or
//! `{name:`): anything else is an error, so a change in wasm-bindgen's glue fails the build
//! instead of the app. An export is renamed when its name is long enough not to be another
//! object's property too and the glue holds it only after a `.` (`wasm.name`).

use anyhow::{Context, Result, bail};
use wasm_encoder::{Encode, Module, RawSection};
use wasmparser::{BinaryReader, ExternalKind, Parser, Payload, TypeRef};

/// The import and export sections' ids.
const IMPORT: u8 = 2;
const EXPORT: u8 = 7;
/// The shortest export name that is renamed.
const MIN_EXPORT: usize = 8;

/// The module and its glue with short names, and how many names were shortened.
pub struct Shortened {
    pub module: Vec<u8>,
    pub glue: String,
    pub names: usize,
}

/// Renames every import and every export that the glue reaches only as a property.
pub fn shorten(module: &[u8], glue: &str) -> Result<Shortened> {
    let mut out = Module::new();
    let mut glue = glue.to_owned();
    let mut names = 0;
    let exports = module_exports(module)?;
    let mut next_export = 0;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.context("the module does not parse")?;
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        let section = &module[range.clone()];
        let mut reader = BinaryReader::new(section, range.start);
        let mut data = Vec::new();
        match id {
            IMPORT => {
                let count = reader.read_var_u32()?;
                count.encode(&mut data);
                for index in 0..count as usize {
                    let module_name: &str = reader.read()?;
                    let name: &str = reader.read()?;
                    let rest = reader.original_position();
                    let _: TypeRef = reader.read()?;
                    let short = short(index);
                    rename(&mut glue, name, &short, Use::ImportKey)
                        .with_context(|| format!("the import {module_name}::{name}"))?;
                    module_name.encode(&mut data);
                    short.as_str().encode(&mut data);
                    data.extend_from_slice(&module[rest..reader.original_position()]);
                    names += 1;
                }
            }
            EXPORT => {
                let count = reader.read_var_u32()?;
                count.encode(&mut data);
                for _ in 0..count {
                    let name: &str = reader.read()?;
                    let rest = reader.original_position();
                    let _: ExternalKind = reader.read()?;
                    reader.read_var_u32()?;
                    // A short name never takes the place of an export that keeps its own.
                    while exports.contains(&short(next_export)) {
                        next_export += 1;
                    }
                    let short = short(next_export);
                    // A short export name (`memory`) may also be a property of another object.
                    if name.len() >= MIN_EXPORT
                        && rename(&mut glue, name, &short, Use::Property).is_ok()
                    {
                        short.as_str().encode(&mut data);
                        next_export += 1;
                        names += 1;
                    } else {
                        name.encode(&mut data);
                    }
                    data.extend_from_slice(&module[rest..reader.original_position()]);
                }
            }
            _ => data.extend_from_slice(section),
        }
        if !reader.eof() && matches!(id, IMPORT | EXPORT) {
            bail!("section {id} has bytes after its entries");
        }
        out.section(&RawSection { id, data: &data });
    }
    Ok(Shortened {
        module: out.finish(),
        glue,
        names,
    })
}

/// How the glue refers to a name.
#[derive(Clone, Copy)]
enum Use {
    /// Once, as a key of the imports object.
    ImportKey,
    /// Only as a property, any number of times.
    Property,
}

/// Replaces `name` by `short` in the glue, if every place it stands is the `expected` one.
fn rename(glue: &mut String, name: &str, short: &str, expected: Use) -> Result<()> {
    let places: Vec<usize> = glue
        .match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            !glue[..at].ends_with(identifier) && !glue[at + name.len()..].starts_with(identifier)
        })
        .collect();
    let fits = |at: usize| {
        let before = &glue[..at];
        let after = &glue[at + name.len()..];
        match expected {
            Use::ImportKey => {
                (before.ends_with(',') || before.ends_with('{')) && after.starts_with(':')
            }
            Use::Property => before.ends_with('.'),
        }
    };
    let wanted = match expected {
        Use::ImportKey => places.len() == 1,
        Use::Property => true,
    };
    if !wanted || !places.iter().all(|&at| fits(at)) {
        bail!(
            "the glue refers to it {} times, not only as expected",
            places.len()
        );
    }
    for &at in places.iter().rev() {
        glue.replace_range(at..at + name.len(), short);
    }
    Ok(())
}

/// Whether a character can be part of a JavaScript identifier.
fn identifier(character: char) -> bool {
    character.is_ascii_alphanumeric() || character == '_' || character == '$'
}

/// The names a module exports.
fn module_exports(module: &[u8]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        if let Payload::ExportSection(exports) = payload? {
            for export in exports {
                names.push(export?.name.to_owned());
            }
        }
    }
    Ok(names)
}

/// The `index`th short name: `a` … `Z`, then `ba` … and so on.
fn short(mut index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[index % LETTERS.len()]);
        index /= LETTERS.len();
        if index == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).expect("letters")
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Instruction, Module, TypeSection,
    };
    use wasmparser::{Parser, Payload, Validator};

    use super::shorten;
    use crate::moves::tests::one_page;

    const FOO: &str = "__wbg_foo_0123456789abcdef";
    const BAR: &str = "__wbg_bar_fedcba9876543210";

    /// A module importing `FOO` and `BAR` from the glue and exporting its memory and `run`.
    fn module() -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        imports.import("./app_bg.js", FOO, EntityType::Function(0));
        imports.import("./app_bg.js", BAR, EntityType::Function(0));
        let mut functions = FunctionSection::new();
        functions.function(0);
        let memories = one_page();
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        exports.export("__wbindgen_run", ExportKind::Func, 2);
        let mut function = Function::new([]);
        function.instruction(&Instruction::Call(0));
        function.instruction(&Instruction::Call(1));
        function.instruction(&Instruction::End);
        let mut code = CodeSection::new();
        code.function(&function);
        let mut module = Module::new();
        module
            .section(&types)
            .section(&imports)
            .section(&functions)
            .section(&memories)
            .section(&exports)
            .section(&code);
        module.finish()
    }

    /// The import names and the export names of a valid module.
    fn names(module: &[u8]) -> (Vec<String>, Vec<String>) {
        Validator::new()
            .validate_all(module)
            .expect("the module is valid");
        let (mut imports, mut exports) = (Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(module) {
            match payload.unwrap() {
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        imports.push(import.unwrap().name.to_owned());
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        exports.push(export.unwrap().name.to_owned());
                    }
                }
                _ => {}
            }
        }
        (imports, exports)
    }

    #[test]
    fn imports_and_exports_get_short_names_in_both_files() {
        let glue = format!(
            "const i={{{FOO}:function(){{}},{BAR}:function(){{x.{FOO}x()}}}};\
             M.__wbindgen_run();M.memory.buffer;M.__wbindgen_run"
        );
        let shortened = shorten(&module(), &glue).expect("the names shorten");
        assert_eq!(shortened.names, 3);
        assert_eq!(
            names(&shortened.module),
            (
                vec!["a".to_owned(), "b".to_owned()],
                vec!["memory".to_owned(), "a".to_owned()]
            )
        );
        // A longer identifier that starts with an import's name is not that import.
        assert_eq!(
            shortened.glue,
            format!(
                "const i={{a:function(){{}},b:function(){{x.{FOO}x()}}}};M.a();M.memory.buffer;M.a"
            )
        );
    }

    #[test]
    fn an_export_the_glue_names_otherwise_keeps_its_name() {
        let glue = format!("const i={{{FOO}:1,{BAR}:2}};M[\"__wbindgen_run\"]();M.memory");
        let shortened = shorten(&module(), &glue).expect("the names shorten");
        assert_eq!(
            names(&shortened.module).1,
            vec!["memory".to_owned(), "__wbindgen_run".to_owned()]
        );
        assert_eq!(
            shortened.glue,
            "const i={a:1,b:2};M[\"__wbindgen_run\"]();M.memory"
        );
    }

    #[test]
    fn an_import_the_glue_does_not_hold_once_as_a_key_fails_the_build() {
        let twice = format!("const i={{{FOO}:1,{BAR}:2}};i.{FOO}");
        assert!(shorten(&module(), &twice).is_err());
        let missing = format!("const i={{{FOO}:1}}");
        assert!(shorten(&module(), &missing).is_err());
    }
}
