//! Files the tests write themselves in the shapes other tools produce.
