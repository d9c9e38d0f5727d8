// Who is logged in, for every staff app. A 401 is an answer ("nobody"), not an error, so guards can redirect.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { routes, type Role } from '@invigil/contracts';
import { ApiError, call } from '../../api/client.ts';
import type { MeT } from './types.ts';

export const ME_KEY = ['auth', 'me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<MeT | null> => {
      try {
        return await call(routes.me);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogout(onDone: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call(routes.logout),
    // Whatever the server said, this browser forgets the user: a stale cookie must not keep the console open.
    onSettled: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
      onDone();
    },
  });
}

export const isStaffOf = (me: MeT | null | undefined, roles: readonly Role[]) => !!me && roles.includes(me.role);
