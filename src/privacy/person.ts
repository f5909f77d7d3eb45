/** Whose data is erased: the channel's user id on that channel (the SQLite and the blob erasure alike). */
export interface Person {
  channelId: string;
  userId: string;
}
