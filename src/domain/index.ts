export * from './accessCode.js';
export * from './archiveDate.js';
export * from './facts.js';
export * from './fixPlans.js';
export * from './platformModel.js';
export * from './scenarios.js';
export * from './symptoms.js';
