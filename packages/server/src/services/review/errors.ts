// The one place where review services take their error type from. The architecture issue (#14) moves AppError
// to services/errors.ts; at that merge this line changes and nothing else in services/review does.
export { AppError as ReviewError } from '../errors.ts';
