// Types of the admin API, inferred from the shared zod contracts so the console and the server cannot drift.
import type { z } from 'zod';
import type { Candidate, Dashboard, DocumentSchema, Exam, ImportResult, Me, Panel, Question, Room, Session, StaffUser, AuditVerifyResult } from '@invigil/contracts';

export type ExamT = z.infer<typeof Exam>;
export type SessionT = Session;
export type RoomT = z.infer<typeof Room>;
export type PanelT = z.infer<typeof Panel>;
export type DocumentT = z.infer<typeof DocumentSchema>;
export type QuestionT = z.infer<typeof Question>;
export type CandidateT = z.infer<typeof Candidate>;
export type StaffUserT = z.infer<typeof StaffUser>;
export type DashboardT = z.infer<typeof Dashboard>;
export type ImportResultT = z.infer<typeof ImportResult>;
export type AuditVerifyT = z.infer<typeof AuditVerifyResult>;
export type MeT = Me;
export interface CandidatePage {
  total: number;
  items: CandidateT[];
}
