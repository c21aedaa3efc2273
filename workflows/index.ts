// Every workflow type of every queue (what replay tests cover); workers bundle workflows/<queue>.ts.
export * from './ml';
export * from './journeys';
