//! Enums written on the wire as one of their stable names
//! (`"partner_admin"`). Their serde goes through one shared path rather than
//! a derived visitor per enum, so the browser's bundle carries it once.

use serde::de::{Deserialize, Deserializer, Error};

/// An enum with a stable name per value.
pub trait Keyed: Copy + 'static {
    /// Every value.
    const VALUES: &'static [Self];
    /// The stable storage and wire name.
    fn wire_key(self) -> &'static str;
}

/// Reads one of `T`'s stable names; anything else is refused with the list.
pub fn deserialize<'de, D: Deserializer<'de>, T: Keyed>(d: D) -> Result<T, D::Error> {
    let key = String::deserialize(d)?;
    match T::VALUES.iter().copied().find(|v| v.wire_key() == key) {
        Some(v) => Ok(v),
        None => Err(D::Error::custom(unknown(&key, &mut T::VALUES.iter().map(|v| v.wire_key())))),
    }
}

fn unknown(key: &str, names: &mut dyn Iterator<Item = &'static str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    format!("unknown variant `{key}`, expected one of {}", names.join(", "))
}

/// Serde for a [`Keyed`] enum with inherent `ALL` and `key()`.
macro_rules! keyed_serde {
    ($name:ty) => {
        impl $crate::keyed::Keyed for $name {
            const VALUES: &'static [Self] = <$name>::ALL;
            fn wire_key(self) -> &'static str {
                self.key()
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::keyed::deserialize(d)
            }
        }
    };
}
pub(crate) use keyed_serde;

#[cfg(test)]
mod tests {
    use crate::{AccessType, Permission};

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        assert_eq!(serde_json::to_string(&AccessType::PartnerAdmin).unwrap(), r#""partner_admin""#);
        assert_eq!(serde_json::from_str::<AccessType>(r#""other_set""#).unwrap(), AccessType::OtherSet);
        assert_eq!(serde_json::from_str::<Permission>(r#""contacts_view""#).unwrap(), Permission::ContactsView);
        let err = serde_json::from_str::<AccessType>(r#""admin""#).unwrap_err().to_string();
        assert!(err.starts_with("unknown variant `admin`, expected one of `partner_admin`, `super_admin`"), "{err}");
        assert!(serde_json::from_str::<AccessType>("3").is_err());
        assert!(serde_json::from_str::<AccessType>(r#""PartnerAdmin""#).is_err());
    }
}
