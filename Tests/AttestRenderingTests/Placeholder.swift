// Attest — certificates and documents you can verify. Apache-2.0.
