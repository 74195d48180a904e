// Settings shared by the browser tests and the screenshots script (no test runner here).

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const DEMO_PASSWORD = 'tyndau-demo-2026';
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Demo accounts (see the page contract). */
export const USERS = {
  citizen: '900515400014',
  official: 'official.akimat-arys',
  head: 'head.akimat-arys',
  moderator: 'official.mcriap',
  supervisor: 'supervisor',
  admin: 'admin',
};

/** The second citizen, created through the JSON API (the database is fresh each run). */
export const SECOND_CITIZEN = {
  iin: '061211600012',
  full_name: 'Айгерім Сәрсенова',
  password: 'my long password',
  language: 'kk',
};

/** A path or absolute URL → absolute URL on the server under test. */
export function url(p) {
  return /^https?:\/\//.test(p) ? p : BASE_URL + p;
}

