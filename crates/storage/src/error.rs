//! What can go wrong in a service call. Validation and state errors carry a stable code that the
//! web layer shows; `Internal` is logged where it is handled and never shown.

use tyndau_core::appeal::TransitionError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{what} not found")]
    NotFound {
        code: &'static str,
        what: &'static str,
    },
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    InvalidTransition(#[from] TransitionError),
    #[error("{message}")]
    Invalid {
        code: &'static str,
        field: Option<&'static str>,
        message: String,
    },
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Internal(e.into())
    }
}

impl ServiceError {
    pub fn invalid(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            code,
            field: Some(field),
            message: message.into(),
        }
    }
    pub fn not_found(code: &'static str, what: &'static str) -> Self {
        ServiceError::NotFound { code, what }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
