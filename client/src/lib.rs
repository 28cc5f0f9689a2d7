//! MedChain client library (grows with issue 6).
