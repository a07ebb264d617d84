using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Names derived from content, so a re-run PUTs the same resource instead of creating a second one.</summary>
    internal static class DeterministicNames
    {
        // Fixed forever: changing it would make every existing role assignment look foreign.
        private static readonly Guid RoleAssignmentNamespace = new Guid("6f1d2c3b-9a84-4e57-8b20-3c4d5e6f7a81");

        /// <summary>RFC 4122 version 5 (SHA-1) UUID of <paramref name="name"/> within <paramref name="namespaceId"/>.</summary>
        public static Guid UuidV5(Guid namespaceId, string name)
        {
            var namespaceBytes = ToNetworkOrder(namespaceId.ToByteArray());
            var nameBytes = Encoding.UTF8.GetBytes(name);
            byte[] hash;
            using (var sha1 = SHA1.Create())
            {
                hash = sha1.ComputeHash(namespaceBytes.Concat(nameBytes).ToArray());
            }
            var bytes = new byte[16];
            Array.Copy(hash, bytes, 16);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(ToNetworkOrder(bytes));
        }

        public static string RoleAssignment(string scope, string roleDefinitionGuid, string principalId)
        {
            var key = (ArmResourceId.TrimSlash(scope) + "|" + roleDefinitionGuid + "|" + principalId).ToLowerInvariant();
            return UuidV5(RoleAssignmentNamespace, key).ToString("D");
        }

        public static string ShortHash(string value, int hexDigits)
        {
            using var sha1 = SHA1.Create();
            var hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(value));
            var text = new StringBuilder();
            foreach (var b in hash) text.Append(b.ToString("x2"));
            return text.ToString(0, hexDigits);
        }

        /// <summary>Guid.ToByteArray is little-endian in its first three fields; RFC 4122 hashes network order. The swap is its own inverse.</summary>
        private static byte[] ToNetworkOrder(byte[] bytes)
        {
            var result = (byte[])bytes.Clone();
            Swap(result, 0, 3);
            Swap(result, 1, 2);
            Swap(result, 4, 5);
            Swap(result, 6, 7);
            return result;
        }

        private static void Swap(byte[] bytes, int a, int b)
        {
            var t = bytes[a];
            bytes[a] = bytes[b];
            bytes[b] = t;
        }
    }
}
