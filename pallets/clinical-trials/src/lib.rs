//! MedChain clinical trials (being written).
#![cfg_attr(not(feature = "std"), no_std)]
