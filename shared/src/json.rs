//! JSON reading rules shared by every wire type.

use serde::de::{Deserialize, Deserializer, Visitor};

/// Reads a nested struct only from a JSON object: serde's derive also takes an array of the
/// fields in order (`[null, null]`), which no client means and the API's document does not
/// allow. Use as `#[serde(deserialize_with = "crate::json::object_only")]`.
///
/// # Errors
/// The deserializer's own error for anything but an object, or for the object's content.
pub fn object_only<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(ObjectOnly(deserializer))
}

/// A deserializer that asks its inner one for a map whatever the type asks for.
struct ObjectOnly<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        a: Option<u8>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(deserialize_with = "super::object_only")]
        inner: Inner,
    }

    #[test]
    fn a_nested_struct_is_read_from_an_object_and_never_from_an_array() {
        let read: Outer = serde_json::from_str(r#"{"inner": {"a": 1}}"#).unwrap();
        assert_eq!(read.inner, Inner { a: Some(1) });
        let error = serde_json::from_str::<Outer>(r#"{"inner": [null]}"#).unwrap_err();
        assert!(
            error.to_string().contains("invalid type: sequence"),
            "{error}"
        );
        // Without the rule serde takes the array.
        assert!(serde_json::from_str::<Inner>("[null]").is_ok());
    }
}
