export {
  type BenefitsReport,
  type BenefitsRow,
  benefitsReport,
  DEFAULT_UNIT_COSTS,
  getUnitCosts,
  setUnitCosts,
  type UnitCosts,
} from './benefits.js'
export { type CaseFilter, type CaseRecord, type CaseWork, getCase, listCases, saveCase } from './cases.js'
export { type CaseworkHistoryOptions, seedCaseworkHistory } from './history-seed.js'
export {
  getLetterToSend,
  type LetterDocumentInput,
  type LetterEvent,
  type LetterRecipient,
  type LetterStatusUpdate,
  type LetterSummary,
  type LetterToSend,
  letterCounts,
  letterDocument,
  letterEventsOfCase,
  letterReference,
  lettersOfCase,
  markLetterRejected,
  markLetterSent,
  type NewLetter,
  openLetters,
  phaseText,
  recordLetter,
  recordLetterStatus,
  recordSendError,
  SEND_LETTER,
  sentText,
} from './letters.js'
export { findOfficer, listOfficers, type Officer, upsertOfficer } from './officers.js'
export type {
  CaseWorkTable,
  CaseworkTables,
  LetterDocumentTable,
  LetterEventTable,
  LetterTrackingTable,
  OfficerTable,
  SvarUtSendTable,
  UnitCostTable,
} from './schema.js'
export { createSvarUtSendStore, type SvarUtSendRecord, type SvarUtSendStore } from './svarut-sends.js'
