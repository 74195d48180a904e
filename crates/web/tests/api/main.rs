//! One integration-test binary: every test starts its own server and database.

mod access;
mod analytics;
mod deadlines;
mod helpers;
mod learning;
mod lifecycle;
mod notifications;
mod openapi;
mod pages;
mod petitions;
mod similarity;
mod transparency;
mod validation;
