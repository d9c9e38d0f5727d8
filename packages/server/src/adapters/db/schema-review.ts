// Tables of examiner review and scoring (issue #16). Owned by services/review. Times epoch ms; points doubles.

export interface RubricTable {
  session_id: string;
  aggregation: string; // AggregationRule
  deviation_threshold: number;
  published_at: number | null;
  published_by: string | null;
  updated_at: number;
}
export interface RubricCriterionTable {
  id: string;
  session_id: string;
  name: string;
  max_points: number;
  step: number;
  position: number;
}
export interface ScoreTable {
  id: string;
  attempt_id: string;
  user_id: string;
  status: string; // 'draft' | 'submitted'
  comment: string;
  updated_at: number;
  submitted_at: number | null;
  unlocked_at: number | null;
  unlock_reason: string | null;
}
export interface ScoreMarkTable {
  score_id: string;
  criterion_id: string;
  points: number;
}
export interface ConductDecisionTable {
  attempt_id: string;
  decision: string;
  rule: string | null;
  reason: string;
  user_id: string;
  at: number;
}

export interface ReviewTables {
  rubrics: RubricTable;
  rubric_criteria: RubricCriterionTable;
  scores: ScoreTable;
  score_marks: ScoreMarkTable;
  conduct_decisions: ConductDecisionTable;
}
