/** Who is talking: the role comes from the channel identity, never from typed text. */
export type Role = 'customer' | 'photographer';
