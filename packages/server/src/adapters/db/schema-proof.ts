// Tables of the phone proof camera (issue: phone proof camera). Owned by services/proof.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProofTables {}
