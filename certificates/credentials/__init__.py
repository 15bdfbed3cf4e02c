"""Each certificate as an Open Badges 3.0 `OpenBadgeCredential`, secured as a VC-JWT.

- `build`: the credential (VC Data Model 2.0), from what the certificate froze at issue.
- `keys`: the Ed25519 signing key from the environment, and the public keys published.
- `jws`: the compact JWS (EdDSA) that is the credential's proof.
- `status`: the Bitstring Status List that says which credentials are revoked.
- `baking`: the PNG that carries the signed credential (Open Badges baking).
- `verify`: what a third party does to check a credential, written apart from the signing
  path; the tests check the credentials with it.

The proof is a VC-JWT (JOSE header `{"alg": "EdDSA", "kid": ...}`, compact JWS) rather than a
Data Integrity proof (eddsa-rdfc-2022): a JWS signs the exact bytes it carries, so verifying it
needs no JSON-LD processing, no canonicalisation and no context documents, which every JOSE
library does the same way; the contexts in `@context` are identifiers that nothing here
dereferences, so nothing is fetched at run time.
"""
