//! `wire_enum!`: a newtype over an integer for wire values that keeps values it does not know,
//! prints the standard's name for known ones and hex for the rest (in the style of rustls'
//! `enum_builder!`).

/// Declares `pub struct $name(pub $repr)` with associated constants, `name()`, `Display`,
/// `From` both ways and (with the `serde` feature) serialisation as the display text.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($repr:ty) {
            $( $(#[$vmeta:meta])* $konst:ident = $val:expr => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub $repr);

        #[allow(dead_code)]
        impl $name {
            $( $(#[$vmeta])* pub const $konst: $name = $name($val); )*

            /// Every value with a name, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name($val)),*];

            /// The standard's (or linuxptp's) name, if this value has one.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( v if v == $val => Some($text), )*
                    _ => None,
                }
            }

            /// Look a value up by its name.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::KNOWN.iter().copied().find(|v| v.name() == Some(name))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "0x{:0width$x}", self.0, width = 2 * core::mem::size_of::<$repr>()),
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    };
}

pub(crate) use wire_enum;
