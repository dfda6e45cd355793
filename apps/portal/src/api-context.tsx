/** The signed-in API client, provided by the shell (app.tsx) to every page. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api-client';

export const ApiContext = createContext<ApiClient | null>(null);
export const useApi = () => useContext(ApiContext)!;
