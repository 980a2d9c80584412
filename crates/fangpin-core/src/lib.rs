//! Domain core (being written).
