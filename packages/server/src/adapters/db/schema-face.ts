// Tables of face login (issue: face login and identity). Owned by services/face.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FaceTables {}
