//! Tyndau's storage and application services: one code path over SQLite and PostgreSQL.

pub mod appeals;
pub mod conn;
pub mod db;
pub mod error;
pub mod hotspots;
pub mod models;
pub mod monitor;
pub mod outbox;
pub mod petitions;
pub mod reference;
pub mod registrar;
pub mod sensitive;
pub mod services;
pub mod similarity;
pub mod stats;
pub mod transparency;
pub mod users;
