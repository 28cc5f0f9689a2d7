//! MedChain clinical trials runtime API (being written).
#![cfg_attr(not(feature = "std"), no_std)]
