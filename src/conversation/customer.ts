/** The helpdesk portal's logged-in customer, once the portal's signature on it was verified (channels/identity.ts). */
export interface CustomerIdentity {
  /** The portal's own customer id. */
  id: string;
  email?: string;
  name?: string;
}
