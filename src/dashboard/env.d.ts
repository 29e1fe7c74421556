// Vite's client types: lets the app import CSS files.
/// <reference types="vite/client" />
